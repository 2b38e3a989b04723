/* test_commit.c — LocalFile's two-phase commit driven through the plugin
 * API (cv_plugin_find → sink_open → writer_open/write/prepare → commit),
 * as the engine drives it, with the crashes a real job can have in
 * between: a commit retried after it published everything, after it
 * published only some files, after a cross-device copy left both the
 * staged file and the target, and an abort. A retried commit must
 * neither lose nor double a file. */
#include "helpers.h"
#include "plugin/plugin.h"

#include <dirent.h>
#include <sys/stat.h>

typedef struct {
    cv_arena arena;
    cv_doc doc;
    cv_optvals vals;
    cv_ctx ctx;
    cv_sink sink;
    const cv_plugin *p;
    const cv_table *tables[1];
    cv_writer writers[4]; /* the contract: a writer outlives the sink's commit */
    char out[512], stage[512];
} rig;

/* Open a LocalFile sink writing csv into scratch dirs, with `extra`
 * options appended to the block. */
static void rig_open(rig *r, const char *name, const char *extra)
{
    memset(r, 0, sizeof *r);
    cv_arena_init(&r->arena, 0);
    snprintf(r->out, sizeof r->out, "%s/%s-out", scratch_dir(), name);
    snprintf(r->stage, sizeof r->stage, "%s/%s-stage", scratch_dir(), name);
    char text[2048];
    int n = snprintf(text, sizeof text, "path = \"%s\"\ntmp_path = \"%s\"\nfile_format_type = csv\n%s\n", r->out,
                     r->stage, extra ? extra : "");
    cv_err e;
    cv_err_clear(&e);
    REQUIRE_INT(cv_config_parse(&r->doc, "commit.conf", text, (size_t)n, NULL, &e), 0);
    r->p = cv_plugin_find(CV_PLUGIN_SINK, "LocalFile");
    REQUIRE(r->p != NULL);
    void *settings = cv_arena_zalloc(&r->arena, r->p->settings_size);
    REQUIRE(settings != NULL);
    cv_optset set = {r->p->options, settings};
    REQUIRE_INT(cv_options_apply(&r->arena, r->doc.root, &set, 1, "LocalFile", &r->vals, &e), 0);
    static const char *const names[] = {"id", "name"};
    static const char *const types[] = {"int", "string"};
    r->tables[0] = table_of(&r->arena, names, types, 2);
    r->ctx = (cv_ctx){.mode = CV_MODE_BATCH, .job_name = "commit", .job_id = "77", .arena = &r->arena};
    r->sink = (cv_sink){.plugin = r->p,
                        .label = "LocalFile (sink #1)",
                        .settings = settings,
                        .given = &r->vals,
                        .config = r->doc.root,
                        .ctx = &r->ctx,
                        .tables = r->tables,
                        .ntables = 1,
                        .parallelism = (int)CV_ARRAY_LEN(r->writers)};
    REQUIRE_INT(r->p->sink_open(&r->sink, &e), 0);
    REQUIRE_INT(r->p->sink_save_mode(&r->sink, &e), 0);
}

static void rig_close(rig *r)
{
    if (r->p->sink_close) r->p->sink_close(&r->sink);
    cv_optvals_free(&r->vals);
    cv_doc_free(&r->doc);
    cv_arena_free(&r->arena);
}

/* Writer `index` writes rows [first, first+n) and prepares: returns the
 * commit info (caller frees with cv_buf_free). */
static cv_buf write_rows(rig *r, int index, int first, int n)
{
    cv_err e;
    cv_err_clear(&e);
    REQUIRE(index >= 0 && index < (int)CV_ARRAY_LEN(r->writers));
    cv_writer *wp = &r->writers[index];
    *wp = (cv_writer){.sink = &r->sink, .index = index};
    REQUIRE_INT(r->p->writer_open(wp, &e), 0);
    cv_batch *b = cv_batch_new(r->tables[0], 0);
    REQUIRE(b != NULL);
    for (int i = first; i < first + n; i++) {
        char s[32];
        int k = snprintf(s, sizeof s, "row%d", i);
        cv_col_append_i32(&b->cols[0], i);
        cv_col_append_str(&b->cols[1], s, (size_t)k);
        cv_batch_end_row(b, CV_ROW_INSERT);
    }
    REQUIRE_INT(r->p->writer_write(wp, b, &e), 0);
    cv_buf info;
    cv_buf_init(&info);
    REQUIRE_INT(r->p->writer_prepare(wp, 1, &info, &e), 0);
    r->p->writer_close(wp);
    cv_batch_free(b);
    return info;
}

static int commit(rig *r, const cv_buf *info, cv_err *e)
{
    cv_commit_info ci = {0, 1, info->data, info->len};
    cv_err_clear(e);
    return r->p->sink_commit(&r->sink, &ci, 1, e);
}

/* Every file under dir (recursively): count, and the sorted lines of all. */
static void collect(const char *dir, int *files, cv_buf *lines)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(p, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            collect(p, files, lines);
            continue;
        }
        (*files)++;
        size_t n;
        char *text = read_file(p, &n);
        if (text) cv_buf_put(lines, text, n);
        free(text);
    }
    closedir(d);
}

/* "files=N rows=M sum=S": S adds every id, so a lost or doubled row shows. */
static const char *summary(const char *dir)
{
    static char out[128];
    int files = 0;
    cv_buf all;
    cv_buf_init(&all);
    collect(dir, &files, &all);
    long rows = 0, sum = 0;
    for (char *p = all.data; p && *p;) {
        char *nl = strchr(p, '\n');
        rows++;
        sum += strtol(p, NULL, 10);
        if (!nl) break;
        p = nl + 1;
    }
    cv_buf_free(&all);
    snprintf(out, sizeof out, "files=%d rows=%ld sum=%ld", files, rows, sum);
    return out;
}

/* The "tmp\tfinal\trows\ttable" lines of a commit info: tmp and final. */
static int pairs(const cv_buf *info, char tmp[][512], char final[][512], int max)
{
    int n = 0;
    for (const char *p = info->data; p && *p && n < max;) {
        const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
        if (!tab || !nl) break;
        const char *tab2 = memchr(tab + 1, '\t', (size_t)(nl - tab - 1));
        snprintf(tmp[n], 512, "%.*s", (int)(tab - p), p);
        snprintf(final[n], 512, "%.*s", (int)((tab2 ? tab2 : nl) - tab - 1), tab + 1);
        n++;
        p = nl + 1;
    }
    return n;
}

TEST(commit_publishes_staged_files)
{
    rig r;
    rig_open(&r, "publish", "batch_size = 4");
    cv_buf info = write_rows(&r, 0, 1, 10); /* files of 4, 4 and 2 rows */
    char tmp[8][512], final[8][512];
    REQUIRE_INT(pairs(&info, tmp, final, 8), 3);
    /* before the commit nothing is visible, everything is staged */
    CHECK_STR(summary(r.out), "files=0 rows=0 sum=0");
    CHECK_STR(summary(r.stage), "files=3 rows=10 sum=55");
    for (int i = 0; i < 3; i++) CHECK(strncmp(tmp[i], r.stage, strlen(r.stage)) == 0);
    cv_err e;
    REQUIRE_INT(commit(&r, &info, &e), 0);
    CHECK_STR(summary(r.out), "files=3 rows=10 sum=55");
    CHECK_STR(summary(r.stage), "files=0 rows=0 sum=0");
    cv_buf_free(&info);
    rig_close(&r);
}

TEST(commit_retried_after_it_finished_changes_nothing)
{
    rig r;
    rig_open(&r, "retry_all", "batch_size = 4");
    cv_buf info = write_rows(&r, 0, 1, 10);
    cv_err e;
    REQUIRE_INT(commit(&r, &info, &e), 0);
    /* the engine crashed before recording the commit: it runs again */
    CHECK_INT(commit(&r, &info, &e), 0);
    CHECK_INT(commit(&r, &info, &e), 0);
    CHECK_STR(summary(r.out), "files=3 rows=10 sum=55");
    cv_buf_free(&info);
    rig_close(&r);
}

TEST(commit_retried_after_a_partial_commit_completes_it)
{
    rig r;
    rig_open(&r, "retry_part", "batch_size = 4");
    cv_buf info = write_rows(&r, 0, 1, 10);
    char tmp[8][512], final[8][512];
    REQUIRE_INT(pairs(&info, tmp, final, 8), 3);
    /* the first commit published one file, then the process died */
    REQUIRE_INT(rename(tmp[1], final[1]), 0);
    CHECK_STR(summary(r.out), "files=1 rows=4 sum=26");
    cv_err e;
    CHECK_INT(commit(&r, &info, &e), 0);
    CHECK_STR(summary(r.out), "files=3 rows=10 sum=55");
    CHECK_STR(summary(r.stage), "files=0 rows=0 sum=0");
    cv_buf_free(&info);
    rig_close(&r);
}

TEST(commit_retried_after_a_copy_left_both_files)
{
    /* across file systems publish copies, renames the copy into place and
     * then deletes the staged file: dying in between leaves both */
    rig r;
    rig_open(&r, "retry_copy", NULL);
    cv_buf info = write_rows(&r, 0, 1, 5);
    char tmp[8][512], final[8][512];
    REQUIRE_INT(pairs(&info, tmp, final, 8), 1);
    size_t n;
    char *text = read_file(tmp[0], &n);
    REQUIRE(text != NULL);
    write_file(final[0], text, n);
    free(text);
    cv_err e;
    CHECK_INT(commit(&r, &info, &e), 0);
    CHECK_STR(summary(r.out), "files=1 rows=5 sum=15");
    CHECK_STR(summary(r.stage), "files=0 rows=0 sum=0");
    cv_buf_free(&info);
    rig_close(&r);
}

/* All or nothing: a commit that cannot publish a file takes back the ones
 * it published (a rerun writes everything again, so leaving them would
 * double them) and says which file was missing. */
TEST(commit_reports_a_file_that_is_gone)
{
    rig r;
    rig_open(&r, "lost", "batch_size = 4");
    cv_buf info = write_rows(&r, 0, 1, 10);
    char tmp[8][512], final[8][512];
    REQUIRE_INT(pairs(&info, tmp, final, 8), 3);
    REQUIRE_INT(unlink(tmp[2]), 0);
    cv_err e;
    CHECK_INT(commit(&r, &info, &e), CV_EIO);
    CHECK_CONTAINS(e.msg, "neither the staged file");
    CHECK_CONTAINS(e.msg, final[2]);
    /* the other files are rolled back, and nothing stays staged */
    CHECK_STR(summary(r.out), "files=0 rows=0 sum=0");
    CHECK_STR(summary(r.stage), "files=0 rows=0 sum=0");
    cv_buf_free(&info);
    rig_close(&r);
}

TEST(abort_discards_staged_files)
{
    rig r;
    rig_open(&r, "abort", "batch_size = 4");
    cv_buf info = write_rows(&r, 0, 1, 10);
    cv_commit_info ci = {0, 1, info.data, info.len};
    r.p->sink_abort(&r.sink, &ci, 1);
    CHECK_STR(summary(r.out), "files=0 rows=0 sum=0");
    CHECK_STR(summary(r.stage), "files=0 rows=0 sum=0");
    cv_buf_free(&info);
    rig_close(&r);
}

TEST(commit_of_two_writers_and_partitions)
{
    rig r;
    rig_open(&r, "parts", "have_partition = true\npartition_by = [name]\nis_partition_field_write_in_file = true");
    cv_buf a = write_rows(&r, 0, 1, 3);
    cv_buf b = write_rows(&r, 1, 11, 2);
    cv_commit_info ci[2] = {{0, 1, a.data, a.len}, {1, 1, b.data, b.len}};
    cv_err e;
    cv_err_clear(&e);
    REQUIRE_INT(r.p->sink_commit(&r.sink, ci, 2, &e), 0);
    REQUIRE_INT(r.p->sink_commit(&r.sink, ci, 2, &e), 0);
    CHECK_STR(summary(r.out), "files=5 rows=5 sum=29");
    char p[600];
    snprintf(p, sizeof p, "%s/name=row12", r.out);
    struct stat st;
    CHECK(stat(p, &st) == 0 && S_ISDIR(st.st_mode));
    cv_buf_free(&a);
    cv_buf_free(&b);
    rig_close(&r);
}
