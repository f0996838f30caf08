/*
 * bench_report.c: what `armvm bench` measured, as a table, CSV, JSON and an SVG chart.
 *
 * QEMU counts no guest instructions: its host instructions per guest instruction and
 * its MIPS use armvm's count of the same run (same image, same size; the guest's work
 * does not depend on the emulator but for the few timer interrupts that fall at
 * different points), taken from the native engine, else from the first engine.
 */
#include "cli/bench.h"

#include <math.h>
#include <string.h>

int bench_find_engine(const BenchReport *r, DbtEngine e)
{
    for (size_t k = 0; k < r->n_cols; k++)
        if (r->cols[k].is_engine && r->cols[k].engine == e)
            return (int)k;
    return -1;
}

int bench_find_qemu(const BenchReport *r)
{
    for (size_t k = 0; k < r->n_cols; k++)
        if (!r->cols[k].is_engine)
            return (int)k;
    return -1;
}

/* Host instructions of the workload itself: the counted run minus the baseline run
 * (start-up and boot); NAN if either is missing. */
static double net_host(const BenchCell *c)
{
    if (!c->counted || !c->based || c->host < c->base_host)
        return NAN;
    return (double)(c->host - c->base_host);
}

bool bench_ratio(const BenchReport *r, size_t w, size_t slow, size_t fast, double *out)
{
    double a = net_host(bench_cell(r, w, slow)), b = net_host(bench_cell(r, w, fast));
    if (isnan(a) || isnan(b) || b <= 0)
        return false;
    *out = a / b;
    return true;
}

/* The column whose guest instruction counts stand for QEMU's (see the top). */
static int guest_reference_col(const BenchReport *r)
{
    int k = bench_find_engine(r, DBT_ENGINE_NATIVE);
    if (k < 0)
        for (size_t c = 0; c < r->n_cols && k < 0; c++)
            if (r->cols[c].is_engine)
                k = (int)c;
    return k;
}

/* Guest instructions of a timed / counted run (QEMU: armvm's, see above); 0 if unknown. */
static uint64_t timed_guest(const BenchReport *r, size_t w, size_t col)
{
    const BenchCell *c = bench_cell(r, w, col);
    if (r->cols[col].is_engine)
        return c->have_stats ? c->guest : 0;
    int ref = guest_reference_col(r);
    return ref >= 0 && bench_cell(r, w, (size_t)ref)->have_stats ? bench_cell(r, w, (size_t)ref)->guest
                                                                 : 0;
}

/* Guest instructions of the workload itself (counted run minus baseline run). */
static uint64_t counted_guest(const BenchReport *r, size_t w, size_t col)
{
    const BenchCell *c = bench_cell(r, w, col);
    if (!r->cols[col].is_engine) {
        int ref = guest_reference_col(r);
        if (ref < 0)
            return 0;
        c = bench_cell(r, w, (size_t)ref);
    }
    return c->count_guest > c->base_guest ? c->count_guest - c->base_guest : 0;
}

static double mips(const BenchReport *r, size_t w, size_t col)
{
    const BenchCell *c = bench_cell(r, w, col);
    uint64_t g = timed_guest(r, w, col);
    return c->timed && c->wall > 0 && g ? (double)g / c->wall / 1e6 : NAN;
}

static double host_per_guest(const BenchReport *r, size_t w, size_t col)
{
    uint64_t g = counted_guest(r, w, col);
    return g ? net_host(bench_cell(r, w, col)) / (double)g : NAN;
}

static const char *size_text(const char *args)
{
    return args && *args ? args : "default";
}

/* Named ratios of workload w: I_r(QEMU) and I_r(fast path); NAN if not measured. */
static void ratios(const BenchReport *r, size_t w, double *ir_qemu, double *ir_fast,
                   double *wall_qemu)
{
    int nat = bench_find_engine(r, DBT_ENGINE_NATIVE), jit = bench_find_engine(r, DBT_ENGINE_JIT);
    int q = bench_find_qemu(r);
    *ir_qemu = *ir_fast = *wall_qemu = NAN;
    if (nat < 0)
        return;
    if (q >= 0)
        bench_ratio(r, w, (size_t)q, (size_t)nat, ir_qemu);
    if (jit >= 0)
        bench_ratio(r, w, (size_t)jit, (size_t)nat, ir_fast);
    const BenchCell *qc = q >= 0 ? bench_cell(r, w, (size_t)q) : NULL;
    const BenchCell *nc = bench_cell(r, w, (size_t)nat);
    if (qc && qc->timed && nc->timed && nc->wall > 0)
        *wall_qemu = qc->wall / nc->wall;
}

static void fmt_num(char *buf, size_t len, double v, const char *fmt)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, fmt, v);
}

void bench_print_table(FILE *out, const BenchReport *r)
{
    fprintf(out, "armvm bench: guest OS %s\n", r->os_elf);
    if (r->qemu_missing)
        fprintf(out, "qemu: %s\n", r->qemu_missing);

    fprintf(out, "\ntimed runs (wall time from start to exit; QEMU's MIPS with armvm's guest "
                 "instruction count)\n");
    fprintf(out, "%-9s %-9s %-10s %14s %14s %14s %9s %9s %8s %8s\n", "workload", "column", "size",
            "guest insns", "user", "kernel", "to user", "to kernel", "wall s", "MIPS");
    for (size_t w = 0; w < BENCH_N_WORKLOADS; w++) {
        if (!r->selected[w])
            continue;
        for (size_t k = 0; k < r->n_cols; k++) {
            const BenchCell *c = bench_cell(r, w, k);
            char wall[32], m[32];
            fmt_num(wall, sizeof wall, c->timed ? c->wall : NAN, "%.3f");
            fmt_num(m, sizeof m, mips(r, w, k), "%.0f");
            if (c->have_stats)
                fprintf(out, "%-9s %-9s %-10s %14llu %14llu %14llu %9llu %9llu %8s %8s\n",
                        k ? "" : bench_workloads[w].id, r->cols[k].name,
                        size_text(r->timing_args[w]), (unsigned long long)c->guest,
                        (unsigned long long)c->guest_user,
                        (unsigned long long)(c->guest - c->guest_user),
                        (unsigned long long)c->to_user, (unsigned long long)c->to_kernel, wall,
                        m);
            else
                fprintf(out, "%-9s %-9s %-10s %14s %14s %14s %9s %9s %8s %8s\n",
                        k ? "" : bench_workloads[w].id, r->cols[k].name,
                        size_text(r->timing_args[w]), "-", "-", "-", "-", "-", wall, m);
        }
    }

    if (r->counter_desc) {
        fprintf(out, "\ncounted runs (host instructions by %s, net of the baseline run at the "
                     "smallest size; QEMU's host/guest with armvm's guest instruction count)\n",
                r->counter_desc);
        fprintf(out, "%-9s %-9s %-12s %14s %16s %14s %11s\n", "workload", "column", "size",
                "guest insns", "host insns", "baseline", "host/guest");
        for (size_t w = 0; w < BENCH_N_WORKLOADS; w++) {
            if (!r->selected[w])
                continue;
            for (size_t k = 0; k < r->n_cols; k++) {
                const BenchCell *c = bench_cell(r, w, k);
                char g[32], h[32], hpg[32];
                uint64_t cg = counted_guest(r, w, k);
                if (cg)
                    snprintf(g, sizeof g, "%llu", (unsigned long long)cg);
                else
                    snprintf(g, sizeof g, "-");
                char base[32];
                fmt_num(h, sizeof h, net_host(c), "%.0f");
                if (c->based)
                    snprintf(base, sizeof base, "%llu", (unsigned long long)c->base_host);
                else
                    snprintf(base, sizeof base, "-");
                fmt_num(hpg, sizeof hpg, host_per_guest(r, w, k), "%.2f");
                fprintf(out, "%-9s %-9s %-12s %14s %16s %14s %11s\n",
                        k ? "" : bench_workloads[w].id, r->cols[k].name,
                        size_text(r->count_args[w]), g, h, base, hpg);
            }
        }

        fprintf(out, "\ninstruction ratios I_r = host instructions of the unaccelerated system "
                     "/ of armvm native\n");
        fprintf(out, "%-9s %11s %22s %15s %20s\n", "workload", "I_r(QEMU)",
                "Kqemu-l4 (reference)", "I_r(fast path)", "wall qemu/native");
        for (size_t w = 0; w < BENCH_N_WORKLOADS; w++) {
            if (!r->selected[w])
                continue;
            double iq, ifp, wq;
            ratios(r, w, &iq, &ifp, &wq);
            char a[32], b[32], d[32];
            fmt_num(a, sizeof a, iq, "%.2f");
            fmt_num(b, sizeof b, ifp, "%.2f");
            fmt_num(d, sizeof d, wq, "%.2f");
            fprintf(out, "%-9s %11s %22.2f %15s %20s\n", bench_workloads[w].id, a,
                    bench_workloads[w].reference_ir, b, d);
        }
        fprintf(out, "I_r(QEMU) = qemu-system-arm / armvm native; I_r(fast path) = armvm jit / "
                     "armvm native; reference: stock QEMU / QEMU with native user code\n");
    } else {
        fprintf(out, "\nno counted runs (--counter none): no host instruction counts or ratios\n");
    }
}

static void csv_header(FILE *out)
{
    fprintf(out, "workload,column,timing_size,guest_insns,guest_user,guest_kernel,to_user,"
                 "to_kernel,wall_s,mips,checksum,count_size,count_guest_insns,host_insns,"
                 "baseline_host_insns,host_per_guest,ir_qemu,ir_fast_path,reference_ir\n");
}

static void csv_num(FILE *out, double v, const char *fmt)
{
    if (!isnan(v))
        fprintf(out, fmt, v);
    fputc(',', out);
}

void bench_print_csv(FILE *out, const BenchReport *r)
{
    csv_header(out);
    for (size_t w = 0; w < BENCH_N_WORKLOADS; w++) {
        if (!r->selected[w])
            continue;
        double iq, ifp, wq;
        ratios(r, w, &iq, &ifp, &wq);
        for (size_t k = 0; k < r->n_cols; k++) {
            const BenchCell *c = bench_cell(r, w, k);
            fprintf(out, "%s,%s,%s,", bench_workloads[w].id, r->cols[k].name,
                    size_text(r->timing_args[w]));
            if (c->have_stats)
                fprintf(out, "%llu,%llu,%llu,%llu,%llu,", (unsigned long long)c->guest,
                        (unsigned long long)c->guest_user,
                        (unsigned long long)(c->guest - c->guest_user),
                        (unsigned long long)c->to_user, (unsigned long long)c->to_kernel);
            else
                fprintf(out, ",,,,,");
            csv_num(out, c->timed ? c->wall : NAN, "%.4f");
            csv_num(out, mips(r, w, k), "%.1f");
            fprintf(out, "%s,%s,", c->checksum, size_text(r->count_args[w]));
            uint64_t cg = counted_guest(r, w, k);
            if (cg)
                fprintf(out, "%llu", (unsigned long long)cg);
            fputc(',', out);
            csv_num(out, net_host(c), "%.0f");
            if (c->based)
                fprintf(out, "%llu", (unsigned long long)c->base_host);
            fputc(',', out);
            csv_num(out, host_per_guest(r, w, k), "%.4f");
            csv_num(out, iq, "%.4f");
            csv_num(out, ifp, "%.4f");
            fprintf(out, "%.2f\n", bench_workloads[w].reference_ir);
        }
    }
}

static void json_num(FILE *out, const char *key, double v, const char *fmt, bool comma)
{
    fprintf(out, "\"%s\": ", key);
    if (isnan(v))
        fprintf(out, "null");
    else
        fprintf(out, fmt, v);
    if (comma)
        fprintf(out, ", ");
}

/* Strings here are file paths and fixed words: escape quotes and backslashes. */
static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if ((unsigned char)*s >= 0x20)
            fputc(*s, out);
    }
    fputc('"', out);
}

void bench_print_json(FILE *out, const BenchReport *r)
{
    fprintf(out, "{\n  \"os\": ");
    json_str(out, r->os_elf);
    fprintf(out, ",\n  \"counter\": ");
    if (r->counter_desc)
        json_str(out, r->counter_desc);
    else
        fprintf(out, "null");
    fprintf(out, ",\n  \"qemu\": ");
    if (r->qemu_missing)
        json_str(out, r->qemu_missing);
    else
        fprintf(out, "\"measured\"");
    fprintf(out, ",\n  \"workloads\": [");
    bool first = true;
    for (size_t w = 0; w < BENCH_N_WORKLOADS; w++) {
        if (!r->selected[w])
            continue;
        double iq, ifp, wq;
        ratios(r, w, &iq, &ifp, &wq);
        fprintf(out, "%s\n    {\"id\": \"%s\", \"timing_size\": ", first ? "" : ",",
                bench_workloads[w].id);
        first = false;
        json_str(out, size_text(r->timing_args[w]));
        fprintf(out, ", \"count_size\": ");
        json_str(out, size_text(r->count_args[w]));
        fprintf(out, ", ");
        json_num(out, "ir_qemu", iq, "%.4f", true);
        json_num(out, "ir_fast_path", ifp, "%.4f", true);
        json_num(out, "reference_ir", bench_workloads[w].reference_ir, "%.2f", true);
        json_num(out, "wall_qemu_over_native", wq, "%.4f", false);
        fprintf(out, ",\n     \"columns\": [");
        for (size_t k = 0; k < r->n_cols; k++) {
            const BenchCell *c = bench_cell(r, w, k);
            fprintf(out, "%s\n       {\"name\": \"%s\", ", k ? "," : "", r->cols[k].name);
            if (c->have_stats)
                fprintf(out,
                        "\"guest_insns\": %llu, \"guest_user\": %llu, \"guest_kernel\": %llu, "
                        "\"to_user\": %llu, \"to_kernel\": %llu, ",
                        (unsigned long long)c->guest, (unsigned long long)c->guest_user,
                        (unsigned long long)(c->guest - c->guest_user),
                        (unsigned long long)c->to_user, (unsigned long long)c->to_kernel);
            json_num(out, "wall_s", c->timed ? c->wall : NAN, "%.4f", true);
            json_num(out, "mips", mips(r, w, k), "%.1f", true);
            fprintf(out, "\"checksum\": ");
            json_str(out, c->checksum);
            fprintf(out, ", ");
            json_num(out, "host_insns", net_host(c), "%.0f", true);
            if (c->based)
                fprintf(out, "\"baseline_host_insns\": %llu, ", (unsigned long long)c->base_host);
            json_num(out, "host_per_guest", host_per_guest(r, w, k), "%.4f", false);
            fprintf(out, "}");
        }
        fprintf(out, "]}");
    }
    fprintf(out, "\n  ]\n}\n");
}

/* ---- SVG ------------------------------------------------------------------------------- */

static const char *const svg_colors[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759",
                                         "#76b7b2", "#edc948"};

/* One grouped bar chart at (x0, y0): groups = selected workloads, bars = series. */
typedef struct SvgChart {
    const char *title;
    const char *const *series;
    size_t n_series;
    double values[BENCH_N_WORKLOADS][6]; /* NAN: not measured */
} SvgChart;

static void svg_chart(FILE *out, const BenchReport *r, const SvgChart *ch, int x0, int y0)
{
    const int w = 520, h = 260, left = 50, bottom = 40, top = 30;
    double max = 0;
    for (size_t g = 0; g < BENCH_N_WORKLOADS; g++)
        for (size_t s = 0; s < ch->n_series; s++)
            if (r->selected[g] && !isnan(ch->values[g][s]) && ch->values[g][s] > max)
                max = ch->values[g][s];
    if (max <= 0)
        max = 1;
    /* a round axis maximum */
    double step = pow(10, floor(log10(max)));
    double axis = ceil(max / step) * step;
    fprintf(out, "<g transform=\"translate(%d,%d)\">\n", x0, y0);
    fprintf(out, "<text x=\"%d\" y=\"18\" font-size=\"15\" font-weight=\"bold\">%s</text>\n",
            left, ch->title);
    int ph = h - bottom - top, pw = w - left - 10;
    for (int t = 0; t <= 4; t++) {
        double v = axis * t / 4;
        int y = top + ph - (int)(ph * t / 4);
        fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>\n", left, y,
                left + pw, y);
        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%g</text>\n",
                left - 4, y + 4, v);
    }
    size_t n_groups = 0;
    for (size_t g = 0; g < BENCH_N_WORKLOADS; g++)
        n_groups += r->selected[g];
    if (!n_groups)
        n_groups = 1;
    double gw = (double)pw / (double)n_groups;
    double bw = gw * 0.8 / (double)(ch->n_series ? ch->n_series : 1);
    size_t gi = 0;
    for (size_t g = 0; g < BENCH_N_WORKLOADS; g++) {
        if (!r->selected[g])
            continue;
        double gx = left + gw * (double)gi + gw * 0.1;
        for (size_t s = 0; s < ch->n_series; s++) {
            double v = ch->values[g][s];
            double x = gx + bw * (double)s;
            if (isnan(v)) {
                fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" "
                             "text-anchor=\"middle\">n/a</text>\n",
                        x + bw / 2, top + ph - 3);
                continue;
            }
            double bh = ph * v / axis;
            fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                         "fill=\"%s\"><title>%s %s: %.2f</title></rect>\n",
                    x, top + ph - bh, bw - 2, bh, svg_colors[s % 6], bench_workloads[g].id,
                    ch->series[s], v);
            fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
                         "text-anchor=\"middle\">%.*f</text>\n",
                    x + bw / 2 - 1, top + ph - bh - 3, v < 10 ? 2 : v < 100 ? 1 : 0, v);
        }
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" "
                     "text-anchor=\"middle\">%s</text>\n",
                gx + gw * 0.4, top + ph + 16, bench_workloads[g].id);
        gi++;
    }
    for (size_t s = 0; s < ch->n_series; s++)
        fprintf(out, "<rect x=\"%zu\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                     "<text x=\"%zu\" y=\"%d\" font-size=\"11\">%s</text>\n",
                (size_t)left + s * 150, h - 12, svg_colors[s % 6], (size_t)left + s * 150 + 14,
                h - 3, ch->series[s]);
    fprintf(out, "</g>\n");
}

void bench_print_svg(FILE *out, const BenchReport *r)
{
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1080\" height=\"300\" "
                 "font-family=\"sans-serif\">\n"
                 "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    static const char *const ratio_series[] = {"I_r(QEMU)", "Kqemu-l4 reference",
                                               "I_r(fast path)"};
    SvgChart ratios_chart = {.title = "instruction ratio (host insns / armvm native)",
                             .series = ratio_series,
                             .n_series = 3};
    for (size_t w = 0; w < BENCH_N_WORKLOADS; w++) {
        double iq, ifp, wq;
        ratios(r, w, &iq, &ifp, &wq);
        ratios_chart.values[w][0] = iq;
        ratios_chart.values[w][1] = bench_workloads[w].reference_ir;
        ratios_chart.values[w][2] = ifp;
    }
    svg_chart(out, r, &ratios_chart, 10, 10);

    const char *names[6];
    SvgChart mips_chart = {.title = "guest MIPS (timed runs)", .series = names};
    for (size_t k = 0; k < r->n_cols && k < 6; k++) {
        names[k] = r->cols[k].name;
        for (size_t w = 0; w < BENCH_N_WORKLOADS; w++)
            mips_chart.values[w][k] = mips(r, w, k);
        mips_chart.n_series++;
    }
    svg_chart(out, r, &mips_chart, 550, 10);
    fprintf(out, "</svg>\n");
}
