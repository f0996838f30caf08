/* main.c: the armvm executable; everything else lives in the armvm_core library. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
