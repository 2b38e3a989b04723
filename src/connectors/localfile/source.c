/* source.c — the LocalFile source: csv, text and JSON-lines files under a
 * path (a file, or a directory read recursively in sorted order), plain or
 * compressed, in any iconv encoding. Each file is a split that any reader
 * may take. Rows that do not fit the schema fail the job with file, line
 * and column — or, with dead_letter_path, go to a dead-letter file until
 * max_bad_rows is exceeded, and count as the job's failed rows. */
#include "localfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct lf_src_cfg {
    const char *path;
    int format;
    const char *field_delim, *row_delim;
    int64_t skip_header;
    const cv_node *schema;
    cv_strlist read_columns;
    bool parse_partition;
    const char *date_format, *datetime_format, *time_format, *null_format;
    const char *encoding;
    int codec;
    int archive;
    const char *file_filter;
    const cv_node *tables_configs;
    const char *sheet_name, *xml_row_tag;
    bool xml_use_attr;
    const char *dead_letter;
    int64_t max_bad;
} lf_src_cfg;

#define O(f) offsetof(lf_src_cfg, f)
static const cv_option options[] = {
    /* path and file_format_type are required in every table; a block
     * with tables_configs has them in its items (checked in setup_table) */
    {"path", CV_OPT_STRING, NULL, "a file, or a directory read recursively (required without tables_configs)", O(path)},
    {"file_format_type", CV_OPT_ENUM, NULL, "text, csv or json (json = one object per line; required)", O(format), 0,
     LF_FORMATS},
    {"field_delimiter", CV_OPT_STRING, NULL, "field separator (text: \\001, csv: ,); escapes like \\t work",
     O(field_delim), 0, NULL, "delimiter"},
    {"row_delimiter", CV_OPT_STRING, "\\n", "row separator (\\n also accepts \\r\\n)", O(row_delim)},
    {"skip_header_row_number", CV_OPT_INT, "0", "lines to skip at the start of every text/csv file", O(skip_header), 0,
     NULL, NULL, 0, INT64_MAX},
    {"schema", CV_OPT_OBJECT, NULL, "fields { name = type } (csv columns by position, json by name)", O(schema)},
    {"read_columns", CV_OPT_STRLIST, NULL, "only these columns, in this order", O(read_columns)},
    {"parse_partition_from_path", CV_OPT_BOOL, "true", "k=v directories between path and file become columns",
     O(parse_partition)},
    {"date_format", CV_OPT_STRING, "yyyy-MM-dd", "how dates are written", O(date_format)},
    {"datetime_format", CV_OPT_STRING, "yyyy-MM-dd HH:mm:ss", "how timestamps are written", O(datetime_format)},
    {"time_format", CV_OPT_STRING, "HH:mm:ss", "how times are written", O(time_format)},
    {"null_format", CV_OPT_STRING, NULL, "text that means NULL (e.g. \\N)", O(null_format)},
    {"encoding", CV_OPT_STRING, "UTF-8", "character set of the files (any iconv name)", O(encoding)},
    {"compress_codec", CV_OPT_ENUM, "none", "none, gzip, zstd or lz4 (unset: detected from the file)", O(codec), 0,
     LF_CODECS},
    {"archive_compress_codec", CV_OPT_ENUM, "NONE", "ZIP/TAR/TAR_GZ archives (not supported yet)", O(archive), 0,
     CV_ENUMS("NONE", "ZIP", "TAR", "TAR_GZ")},
    {"file_filter_pattern", CV_OPT_STRING, NULL, "regular expression the file NAME must match (whole name)",
     O(file_filter)},
    {"tables_configs", CV_OPT_LIST, NULL, "several tables, each a complete LocalFile config", O(tables_configs)},
    {"sheet_name", CV_OPT_STRING, NULL, "excel only (not supported yet)", O(sheet_name)},
    {"xml_row_tag", CV_OPT_STRING, NULL, "xml only (not supported yet)", O(xml_row_tag)},
    {"xml_use_attr_format", CV_OPT_BOOL, "false", "xml only (not supported yet)", O(xml_use_attr)},
    {"dead_letter_path", CV_OPT_STRING, NULL, "culvert: file (JSON lines) receiving rows that do not fit the schema",
     O(dead_letter)},
    {"max_bad_rows", CV_OPT_INT, "0", "culvert: fail once more rows than this are bad (-1: no limit)", O(max_bad), 0,
     NULL, NULL, -1, INT64_MAX},
    {NULL},
};

typedef struct {
    const lf_src_cfg *cfg;
    const cv_optvals *given; /* the block's options, for positions */
    cv_table *table;         /* what this source emits */
    cv_table *file;          /* the columns a file holds (schema), for json */
    int32_t *from;           /* output column → file field, or -1 - partition key index */
    uint32_t nfile;          /* fields per record */
    char **part_keys;
    uint32_t npart;
    cv_textfmt fmt;
    cv_rec_mode mode;
    const char *fdelim, *rdelim;
    bool content_only; /* text without a schema: one `content` column */
    bool header_names; /* csv without a schema: names from line 1 */
    bool auto_codec;
    char **files;
    size_t nfiles;
    int dl_fd;     /* the dead-letter file, opened (emptied) when the run starts */
    bool dl_owner; /* this table opened dl_fd; others with the same path share it */
    uint64_t bad;  /* bad rows of this table so far, across readers (atomic) */
} lf_table;

typedef struct {
    lf_table *tables;
    uint32_t ntables;
    pthread_mutex_t dl_mu; /* dead-letter files are shared by readers */
} lf_src;

typedef struct {
    uint32_t table, file;
} lf_split;

static int nomem(cv_err *err) { return cv_err_set(err, CV_ENOMEM, "out of memory"); }

static cv_pos opt_pos(const cv_optvals *given, const char *key) { return cv_node_pos(cv_optvals_given(given, key)); }

/* ---- listing files ------------------------------------------------------------ */

typedef CV_VEC(char *) name_vec;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int list_dir(cv_arena *a, const char *dir, const cv_regex *filter, cv_rematch *fm, name_vec *out, int depth,
                    cv_err *err);

static const char *kind_of(mode_t m)
{
    return S_ISFIFO(m)   ? "a fifo"
           : S_ISSOCK(m) ? "a socket"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
                         : "of an unknown kind";
}

/* One directory entry: a directory is descended into, a readable regular
 * file (or a link to one) is listed, an empty file is skipped (it holds no
 * row). Anything else fails the job by name — a dangling link, a file that
 * vanished or cannot be read, a fifo — because skipping it would report
 * success with its rows missing. */
static int list_entry(cv_arena *a, const char *path, const cv_regex *filter, cv_rematch *fm, name_vec *out, int depth,
                      cv_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        char target[4096];
        ssize_t n;
        if (e == ENOENT && (n = readlink(path, target, sizeof target - 1)) >= 0) {
            target[n] = '\0';
            return cv_err_set(err, CV_EIO, "%s: a dangling symbolic link (to %s)", path, target);
        }
        return cv_err_set(err, CV_EIO, "cannot read %s: %s", path, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) return list_dir(a, path, filter, fm, out, depth + 1, err);
    if (!S_ISREG(st.st_mode))
        return cv_err_set(err, CV_EIO, "%s: not a regular file or directory (%s)", path, kind_of(st.st_mode));
    if (access(path, R_OK) != 0) return cv_err_set(err, CV_EIO, "cannot read %s: %s", path, strerror(errno));
    if (st.st_size == 0) return 0;
    return cv_vec_push(out, (char *)path) < 0 ? nomem(err) : 0;
}

static int list_dir(cv_arena *a, const char *dir, const cv_regex *filter, cv_rematch *fm, name_vec *out, int depth,
                    cv_err *err)
{
    if (depth > 64) return cv_err_set(err, CV_EIO, "%s: directories nest too deep (a symlink loop?)", dir);
    DIR *d = opendir(dir);
    if (!d) return cv_err_set(err, CV_EIO, "cannot read directory %s: %s", dir, strerror(errno));
    name_vec names = {0};
    int rc = 0;
    struct dirent *de;
    for (;;) {
        errno = 0;
        if (rc < 0 || !(de = readdir(d))) break;
        /* hidden files, "." and "..", and Hadoop's _SUCCESS markers are skipped, as SeaTunnel does */
        if (de->d_name[0] == '.' || strcmp(de->d_name, "_SUCCESS") == 0) continue;
        char *full = cv_arena_printf(a, "%s/%s", dir, de->d_name);
        if (!full || cv_vec_push(&names, full) < 0) rc = nomem(err);
    }
    if (rc == 0 && errno) rc = cv_err_set(err, CV_EIO, "cannot read directory %s: %s", dir, strerror(errno));
    closedir(d);
    if (rc == 0 && names.n) qsort(names.v, names.n, sizeof *names.v, cmp_str); /* v is NULL when empty */
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        const char *base = strrchr(names.v[i], '/') + 1;
        /* the filter chooses by name, so it goes first: an entry it leaves
         * out is not read and cannot fail the job */
        if (filter && !cv_regex_full_match(filter, fm, base, strlen(base))) {
            struct stat st;
            if (stat(names.v[i], &st) != 0 || !S_ISDIR(st.st_mode)) continue;
        }
        rc = list_entry(a, names.v[i], filter, fm, out, depth, err);
    }
    cv_vec_free(&names);
    return rc;
}

static int list_files(cv_source *s, lf_table *t, cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    const lf_src_cfg *c = t->cfg;
    /* a Java regex matched against the whole file name, as SeaTunnel does */
    cv_regex *filter = NULL;
    cv_rematch *fm = NULL;
    if (c->file_filter) {
        char why[256];
        int frc = cv_regex_compile_n(c->file_filter, strlen(c->file_filter), 0, NULL, &filter, why, sizeof why);
        if (frc == CV_ENOMEM) return nomem(err);
        if (frc < 0) {
            cv_pos p = opt_pos(t->given, "file_filter_pattern");
            return cv_err_at(err, CV_ECONFIG, &p, "file_filter_pattern: %s", why);
        }
        if (!(fm = cv_rematch_new(filter))) {
            cv_regex_free(filter);
            return nomem(err);
        }
    }
    struct stat st;
    int rc = 0;
    name_vec files = {0};
    char *root = cv_arena_strdup(a, c->path);
    if (!root) rc = nomem(err);
    size_t rl = root ? strlen(root) : 0;
    while (rl > 1 && root[rl - 1] == '/') root[--rl] = '\0';
    if (rc == 0 && stat(root, &st) != 0) {
        /* a path that is not there is a mistake in the job file: check
         * and run both say so (exit 2), at the option */
        int e = errno;
        cv_pos p = opt_pos(t->given, "path");
        char target[4096];
        ssize_t n = e == ENOENT ? readlink(root, target, sizeof target - 1) : -1;
        if (n >= 0) target[n] = '\0';
        if (e == ENOENT || e == ENOTDIR)
            rc = cv_err_at(err, CV_ECONFIG, &p, "path %s does not exist%s%s%s", root,
                           n >= 0 ? " (a dangling symbolic link to " : "", n >= 0 ? target : "", n >= 0 ? ")" : "");
        else
            rc = cv_err_at(err, CV_EIO, &p, "path %s: %s", root, strerror(e));
    } else if (rc == 0 && S_ISDIR(st.st_mode)) {
        rc = list_dir(a, root, filter, fm, &files, 0, err);
    } else if (rc == 0 && !S_ISREG(st.st_mode)) {
        rc = cv_err_set(err, CV_EIO, "%s: not a regular file or directory (%s)", root, kind_of(st.st_mode));
    } else if (rc == 0 && access(root, R_OK) != 0) {
        rc = cv_err_set(err, CV_EIO, "cannot read %s: %s", root, strerror(errno));
    } else if (rc == 0) {
        if (cv_vec_push(&files, root) < 0) rc = nomem(err);
    }
    cv_rematch_free(fm);
    cv_regex_free(filter);
    if (rc == 0) {
        t->nfiles = files.n;
        t->files = files.n ? cv_arena_memdup(a, files.v, files.n * sizeof *files.v) : NULL;
        if (files.n && !t->files) rc = nomem(err);
        if (files.n == 0 && !s->ctx->check_only) cv_warn("LocalFile: no files to read under %s", root);
    }
    cv_vec_free(&files);
    return rc;
}

/* k=v directories between the configured path and a file. */
static int partitions_of(const lf_table *t, const char *file, char **keys, char **vals, uint32_t max, uint32_t *n)
{
    size_t rl = strlen(t->cfg->path);
    while (rl > 1 && t->cfg->path[rl - 1] == '/') rl--;
    const char *rel = strncmp(file, t->cfg->path, rl) == 0 ? file + rl : file;
    *n = 0;
    while (*rel == '/') rel++;
    for (;;) {
        const char *slash = strchr(rel, '/');
        if (!slash) break; /* the last segment is the file name */
        const char *eq = memchr(rel, '=', (size_t)(slash - rel));
        if (eq && *n < max) {
            keys[*n] = cv_strndup(rel, (size_t)(eq - rel));
            vals[*n] = cv_strndup(eq + 1, (size_t)(slash - eq - 1));
            if (!keys[*n] || !vals[*n]) {
                cv_free(keys[*n]);
                cv_free(vals[*n]);
                return CV_ENOMEM;
            }
            (*n)++;
        }
        rel = slash + 1;
    }
    return 0;
}

/* ---- the table this source produces ------------------------------------------------- */

/* The codec of a file: compress_codec, or when unset its magic bytes. */
static cv_codec file_codec(const lf_table *t, const char *path)
{
    if (!t->auto_codec) return (cv_codec)t->cfg->codec;
    uint8_t head[4] = {0};
    FILE *f = fopen(path, "rb");
    size_t got = f ? fread(head, 1, sizeof head, f) : 0;
    if (f) fclose(f);
    return cv_codec_sniff(head, got);
}

/* csv without a schema: the first line of the first file names the columns. */
static int header_columns(cv_source *s, lf_table *t, cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    if (t->nfiles == 0) {
        cv_pos p = opt_pos(t->given, "path");
        return cv_err_at(err, CV_ECONFIG, &p,
                         "a csv source without a schema takes column names from the first file's header, but there "
                         "are no files under %s; give a schema",
                         t->cfg->path);
    }
    cv_instream *in = NULL;
    cv_recreader rr;
    memset(&rr, 0, sizeof rr);
    int rc = cv_instream_open(t->files[0], file_codec(t, t->files[0]), &in, err);
    if (rc == 0) rc = cv_rec_open(&rr, in, CV_REC_CSV, t->fdelim, t->rdelim, err);
    if (rc == 0) rc = cv_rec_set_encoding(&rr, t->cfg->encoding, err);
    if (rc == 0) {
        int got = cv_rec_next(&rr, err);
        if (got < 0)
            rc = got;
        else if (got == 0 || rr.nf == 0)
            rc = cv_err_set(err, CV_EDATA, "%s: the header line is empty", t->files[0]);
    }
    if (rc == 0) {
        t->file = cv_arena_zalloc(a, sizeof *t->file);
        cv_column *cols = t->file ? cv_arena_zalloc(a, rr.nf * sizeof *cols) : NULL;
        if (!cols) rc = nomem(err);
        for (uint32_t i = 0; rc == 0 && i < rr.nf; i++) {
            cols[i].name = cv_arena_strndup(a, rr.f[i].p, rr.f[i].n);
            cols[i].type = cv_type_prim(CV_T_STRING);
            cols[i].nullable = true;
            if (!cols[i].name)
                rc = nomem(err);
            else if (!cols[i].name[0])
                rc = cv_err_set(err, CV_EDATA, "%s: header field %u is empty", t->files[0], i + 1);
        }
        if (rc == 0) {
            t->file->cols = cols;
            t->file->ncols = rr.nf;
        }
    }
    cv_rec_close(&rr);
    cv_instream_close(in);
    return rc;
}

static int build_table(cv_source *s, lf_table *t, const char *default_path, cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    const lf_src_cfg *c = t->cfg;
    if (c->schema) {
        CV_TRY(cv_schema_from_config(a, c->schema, default_path, &t->file, err));
    } else if (c->format == LF_TEXT) {
        t->content_only = true;
        t->file = cv_arena_zalloc(a, sizeof *t->file);
        cv_column *col = cv_arena_zalloc(a, sizeof *col);
        if (!t->file || !col) return nomem(err);
        col->name = "content";
        col->type = cv_type_prim(CV_T_STRING);
        col->nullable = true;
        t->file->cols = col;
        t->file->ncols = 1;
    } else if (c->format == LF_CSV) {
        t->header_names = true;
        CV_TRY(header_columns(s, t, err));
    } else {
        cv_pos p = cv_node_pos(s->config);
        return cv_err_at(err, CV_ECONFIG, &p, "a json source needs a schema { fields { … } }%s", "");
    }
    if (!c->schema) {
        CV_TRY(cv_table_set_path(a, t->file, default_path ? default_path : "default.default.default", false, err));
        CV_TRY(cv_table_finish(a, t->file, err));
    }
    t->nfile = t->file->ncols;
    /* partition columns from the first file's path */
    char *keys[16], *vals[16];
    uint32_t np = 0;
    if (c->parse_partition && t->nfiles) {
        if (partitions_of(t, t->files[0], keys, vals, 16, &np) < 0) return nomem(err);
        t->part_keys = np ? cv_arena_alloc(a, np * sizeof *t->part_keys) : NULL;
        for (uint32_t i = 0; i < np; i++) {
            if (t->part_keys) t->part_keys[i] = cv_arena_strdup(a, keys[i]);
            cv_free(keys[i]);
            cv_free(vals[i]);
        }
        if (np && !t->part_keys) return nomem(err);
        for (uint32_t i = 0; i < np; i++)
            if (!t->part_keys[i]) return nomem(err);
        t->npart = np;
    }
    /* output columns: read_columns, then (as SeaTunnel does) the partition
     * columns they do not name; or everything then the partitions */
    uint32_t nread = (uint32_t)c->read_columns.n, tail[16], ntail = 0;
    for (uint32_t pi = 0; nread && pi < t->npart; pi++) {
        bool named = false;
        for (uint32_t r = 0; r < nread && !named; r++) named = strcmp(c->read_columns.v[r], t->part_keys[pi]) == 0;
        if (!named) tail[ntail++] = pi;
    }
    uint32_t nout = nread ? nread + ntail : t->nfile + t->npart;
    cv_column *cols = cv_arena_zalloc(a, (nout ? nout : 1) * sizeof *cols);
    t->from = cv_arena_alloc(a, (nout ? nout : 1) * sizeof *t->from);
    if (!cols || !t->from) return nomem(err);
    for (uint32_t k = 0; k < nout; k++) {
        const char *want = k < nread ? c->read_columns.v[k] : NULL;
        int32_t src = INT32_MIN;
        if (!want && nread) {
            src = -1 - (int32_t)tail[k - nread];
        } else if (!want) {
            src = k < t->nfile ? (int32_t)k : -1 - (int32_t)(k - t->nfile);
        } else {
            int fi = cv_table_find_col(t->file, want);
            if (fi >= 0) src = fi;
            for (uint32_t pi = 0; src == INT32_MIN && pi < t->npart; pi++)
                if (strcmp(t->part_keys[pi], want) == 0) src = -1 - (int32_t)pi;
            if (src == INT32_MIN) {
                const char *names[512];
                uint32_t nn = 0;
                for (uint32_t i = 0; i < t->nfile && nn < 512; i++) names[nn++] = t->file->cols[i].name;
                for (uint32_t i = 0; i < t->npart && nn < 512; i++) names[nn++] = t->part_keys[i];
                const char *dym = cv_did_you_mean(want, names, nn);
                cv_pos p = opt_pos(t->given, "read_columns");
                return cv_err_at(err, CV_ECONFIG, &p, "read_columns: \"%s\" is not a column%s%s%s", want,
                                 dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "");
            }
        }
        t->from[k] = src;
        if (src >= 0) {
            cols[k] = t->file->cols[src];
        } else {
            cols[k].name = t->part_keys[-1 - src];
            cols[k].type = cv_type_prim(CV_T_STRING);
            cols[k].nullable = true;
        }
    }
    return cv_table_derive(a, t->file, cols, nout, &t->table, err);
}

/* The dead-letter file must be creatable: its directory exists (else the
 * job file names a wrong place: exit 2, from check and run alike) and is
 * writable. Checked when the plan opens; the file is emptied only when a
 * run starts (open_dead_letters), so `check` touches nothing. */
static int check_dead_letter(const lf_table *t, cv_err *err)
{
    const char *path = t->cfg->dead_letter;
    cv_pos p = opt_pos(t->given, "dead_letter_path");
    const char *slash = strrchr(path, '/');
    if (!*path || (slash && !slash[1]))
        return cv_err_at(err, CV_ECONFIG, &p, "dead_letter_path \"%s\" names no file", path);
    /* "dir/file" → "dir", "/file" → "/", "file" → "." */
    size_t dl = !slash ? 1 : slash == path ? 1 : (size_t)(slash - path);
    char dir[4096];
    if (dl >= sizeof dir) return cv_err_at(err, CV_ECONFIG, &p, "dead_letter_path is too long%s", "");
    memcpy(dir, slash ? path : ".", dl);
    dir[dl] = '\0';
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cv_err_at(err, CV_ECONFIG, &p, "dead_letter_path %s: the directory %s does not exist", path, dir);
    if (access(dir, W_OK) != 0 && (stat(path, &st) != 0 || access(path, W_OK) != 0))
        return cv_err_at(err, CV_EIO, &p, "cannot write dead_letter_path %s: %s", path, strerror(errno));
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return cv_err_at(err, CV_ECONFIG, &p, "dead_letter_path %s is not a regular file", path);
    return 0;
}

/* Every run starts its dead-letter files empty: they hold the bad rows of
 * the last run, never an accumulation (O_APPEND keeps writers of several
 * sources on one file from overwriting each other). */
static int open_dead_letters(lf_src *ls, cv_err *err)
{
    for (uint32_t i = 0; i < ls->ntables; i++) {
        lf_table *t = &ls->tables[i];
        if (!t->cfg->dead_letter || t->dl_owner) continue;
        for (uint32_t k = 0; k < i && t->dl_fd < 0; k++)
            if (ls->tables[k].dl_owner && strcmp(ls->tables[k].cfg->dead_letter, t->cfg->dead_letter) == 0)
                t->dl_fd = ls->tables[k].dl_fd;
        if (t->dl_fd >= 0) continue;
        t->dl_fd = open(t->cfg->dead_letter, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
        if (t->dl_fd < 0) {
            cv_pos p = opt_pos(t->given, "dead_letter_path");
            return cv_err_at(err, CV_EIO, &p, "cannot open dead_letter_path %s: %s", t->cfg->dead_letter,
                             strerror(errno));
        }
        t->dl_owner = true;
    }
    return 0;
}

static int setup_table(cv_source *s, lf_table *t, const cv_node *block, const char *default_path, cv_err *err)
{
    const lf_src_cfg *c = t->cfg;
    cv_arena *a = s->ctx->arena;
    t->dl_fd = -1;
    const char *missing = !c->path                                          ? "path"
                          : !cv_optvals_given(t->given, "file_format_type") ? "file_format_type"
                                                                            : NULL;
    if (missing) {
        cv_pos p = cv_node_pos(block);
        return cv_err_at(err, CV_ECONFIG, &p, "missing the required option \"%s\"%s", missing,
                         block == s->config ? " (or tables_configs)" : " in a tables_configs item");
    }
    CV_TRY(lf_check_format(t->given, c->format, c->codec, "LocalFile source", err));
    if (c->archive != 0) {
        cv_pos p = opt_pos(t->given, "archive_compress_codec");
        return cv_err_at(err, CV_EUNSUPPORTED, &p, "archive_compress_codec is not supported yet%s", "");
    }
    if (c->max_bad != 0 && !c->dead_letter) {
        cv_pos p = opt_pos(t->given, "max_bad_rows");
        return cv_err_at(err, CV_ECONFIG, &p,
                         "max_bad_rows needs dead_letter_path: bad rows are never dropped without a record%s", "");
    }
    if (c->dead_letter) CV_TRY(check_dead_letter(t, err));
    if (!cv_encoding_is_utf8(c->encoding)) { /* fail now, not in a reader */
        cv_transcoder *tc;
        int rc = cv_transcoder_open(c->encoding, "UTF-8", &tc, err);
        if (rc < 0) {
            cv_pos p = opt_pos(t->given, "encoding");
            cv_err_locate(err, &p);
            return rc;
        }
        cv_transcoder_close(tc);
    }
    t->auto_codec = !cv_optvals_given(t->given, "compress_codec");
    t->mode = c->format == LF_CSV ? CV_REC_CSV : c->format == LF_JSON ? CV_REC_LINES : CV_REC_TEXT;
    CV_TRY(lf_delim(a, t->given, "field_delimiter", c->field_delim, &t->fdelim, err));
    CV_TRY(lf_delim(a, t->given, "row_delimiter", c->row_delim, &t->rdelim, err));
    CV_TRY(lf_textfmt(t->given, c->date_format, c->datetime_format, c->time_format, c->null_format, &t->fmt, err));
    t->fmt.quoted_empty_is_string = c->format == LF_CSV;
    CV_TRY(list_files(s, t, err));
    CV_TRY(build_table(s, t, default_path, err));
    if (t->content_only) t->mode = CV_REC_LINES;
    return 0;
}

static int src_open(cv_source *s, cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    const lf_src_cfg *top = s->settings;
    lf_src *ls = cv_arena_zalloc(a, sizeof *ls);
    if (!ls) return nomem(err);
    pthread_mutex_init(&ls->dl_mu, NULL);
    s->priv = ls;
    if (top->tables_configs) {
        const cv_node *list = top->tables_configs;
        ls->tables = cv_arena_zalloc(a, (list->u.arr.n ? list->u.arr.n : 1) * sizeof *ls->tables);
        if (!ls->tables) return nomem(err);
        for (uint32_t i = 0; i < list->u.arr.n; i++) {
            lf_src_cfg *c = cv_arena_zalloc(a, sizeof *c);
            cv_optvals *vals = cv_arena_zalloc(a, sizeof *vals);
            if (!c || !vals) return nomem(err);
            cv_optset set = {options, c};
            CV_TRY(cv_options_apply(a, list->u.arr.v[i], &set, 1, "LocalFile tables_configs item", vals, err));
            /* the engine frees the block's optvals; these belong to us */
            lf_table *t = &ls->tables[ls->ntables++];
            t->cfg = c;
            t->given = vals;
            int rc = setup_table(s, t, list->u.arr.v[i], NULL, err);
            if (rc < 0) return rc;
        }
    } else {
        ls->tables = cv_arena_zalloc(a, sizeof *ls->tables);
        if (!ls->tables) return nomem(err);
        ls->ntables = 1;
        ls->tables[0].cfg = top;
        ls->tables[0].given = s->given;
        const cv_node *out = cv_optvals_given(s->given, "plugin_output");
        CV_TRY(setup_table(s, &ls->tables[0], s->config, out ? cv_node_str(out) : NULL, err));
    }
    s->ntables = ls->ntables;
    s->tables = cv_arena_alloc(a, ls->ntables * sizeof *s->tables);
    if (!s->tables) return nomem(err);
    for (uint32_t i = 0; i < ls->ntables; i++) {
        s->tables[i] = ls->tables[i].table;
        for (uint32_t k = 0; k < i; k++)
            if (strcmp(s->tables[k]->full_name, s->tables[i]->full_name) == 0)
                return cv_err_set(err, CV_ECONFIG, "two LocalFile tables are named %s; set schema.table",
                                  s->tables[i]->full_name);
    }
    return 0;
}

static int src_splits(cv_source *s, cv_split_list *out, cv_err *err)
{
    lf_src *ls = s->priv;
    /* splits are asked for once, when a run starts (never by check) */
    CV_TRY(open_dead_letters(ls, err));
    for (uint32_t t = 0; t < ls->ntables; t++)
        for (uint32_t f = 0; f < ls->tables[t].nfiles; f++) {
            lf_split *sp = cv_arena_alloc(s->ctx->arena, sizeof *sp);
            if (!sp) return nomem(err);
            sp->table = t;
            sp->file = f;
            const char *name = strrchr(ls->tables[t].files[f], '/');
            if (cv_splits_add(out, name ? name + 1 : ls->tables[t].files[f], -1, sp, sizeof *sp) < 0) return nomem(err);
        }
    return 0;
}

static void src_close(cv_source *s)
{
    lf_src *ls = s->priv;
    if (!ls) return;
    if (s->ctx && ls->tables && cv_optvals_given(s->given, "tables_configs"))
        for (uint32_t i = 0; i < ls->ntables; i++) cv_optvals_free((cv_optvals *)ls->tables[i].given);
    for (uint32_t i = 0; ls->tables && i < ls->ntables; i++)
        if (ls->tables[i].dl_owner) close(ls->tables[i].dl_fd);
    pthread_mutex_destroy(&ls->dl_mu);
    s->priv = NULL;
}

/* ---- reading ------------------------------------------------------------------------- */

typedef struct {
    lf_table *t;
    const char *file;
    cv_instream *in;
    cv_recreader rr;
    bool rr_open;
    char *part_vals[16];
    uint32_t npart;
    uint64_t skip; /* header lines still to skip */
    cv_buf msg;
    cv_err pending; /* an error held back until the rows before it are out */
} lf_reader;

static void close_file(lf_reader *lr)
{
    if (lr->rr_open) cv_rec_close(&lr->rr);
    lr->rr_open = false;
    cv_instream_close(lr->in);
    lr->in = NULL;
    for (uint32_t i = 0; i < lr->npart; i++) cv_free(lr->part_vals[i]);
    lr->npart = 0;
}

static int reader_open(cv_reader *r, cv_err *err)
{
    lf_reader *lr = cv_calloc(1, sizeof *lr);
    if (!lr) return nomem(err);
    cv_buf_init(&lr->msg);
    cv_err_clear(&lr->pending);
    r->priv = lr;
    return 0;
}

static void reader_close(cv_reader *r)
{
    lf_reader *lr = r->priv;
    if (!lr) return;
    close_file(lr);
    cv_buf_free(&lr->msg);
    cv_free(lr);
    r->priv = NULL;
}

static int reader_start(cv_reader *r, const cv_split *split, cv_err *err)
{
    lf_reader *lr = r->priv;
    lf_src *ls = r->src->priv;
    const lf_split *sp = split->data;
    close_file(lr);
    lr->t = &ls->tables[sp->table];
    lr->file = lr->t->files[sp->file];
    const lf_table *t = lr->t;
    CV_TRY(cv_instream_open(lr->file, file_codec(t, lr->file), &lr->in, err));
    CV_TRY(cv_rec_open(&lr->rr, lr->in, t->mode, t->fdelim, t->rdelim, err));
    lr->rr_open = true;
    CV_TRY(cv_rec_set_encoding(&lr->rr, t->cfg->encoding, err));
    lr->skip = t->mode == CV_REC_LINES && t->cfg->format == LF_JSON ? 0 : (uint64_t)t->cfg->skip_header;
    if (t->header_names && lr->skip == 0) lr->skip = 1; /* the header line itself */
    if (t->npart) {
        char *keys[16];
        uint32_t n;
        if (partitions_of(t, lr->file, keys, lr->part_vals, 16, &n) < 0) return nomem(err);
        lr->npart = n;
        bool same = n == t->npart;
        for (uint32_t i = 0; i < n; i++) {
            same = same && strcmp(keys[i], t->part_keys[i]) == 0;
            cv_free(keys[i]);
        }
        if (!same)
            return cv_err_set(err, CV_EDATA, "%s: its partition directories differ from the first file's (%s=…)",
                              lr->file, t->part_keys[0]);
    }
    return 0;
}

static void json_escape_into(cv_buf *b, const char *k, const char *v, size_t n, bool comma)
{
    if (comma) cv_buf_putc(b, ',');
    cv_buf_json_str(b, k, strlen(k));
    cv_buf_putc(b, ':');
    cv_buf_json_str(b, v, n);
}

/* ': "value"' for a message: the first 80 bytes, control characters
 * escaped so that the message stays one line. */
static void quote_value(char *out, size_t cap, const char *v, size_t n)
{
    size_t o = (size_t)snprintf(out, cap, ": \""), i = 0;
    for (; i < n && i < 80 && o + 8 < cap; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c == '\n' || c == '\r' || c == '\t')
            o += (size_t)snprintf(out + o, cap - o, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
        else if (c < 0x20 || c == 0x7f)
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
        else
            out[o++] = (char)c;
    }
    snprintf(out + o, cap - o, "%s\"", i < n ? "…" : "");
}

/* A row that does not fit: fail, or record it in the dead-letter file. */
static int bad_row(cv_reader *r, lf_reader *lr, const char *column, const char *why, const char *value, size_t vlen,
                   cv_err *err)
{
    lf_src *ls = r->src->priv;
    lf_table *t = lr->t;
    const lf_src_cfg *c = t->cfg;
    char where[160] = "";
    if (column) snprintf(where, sizeof where, ", column %s", column);
    char val[360] = "";
    if (value) quote_value(val, sizeof val, value, vlen);
    uint64_t line = lr->rr.line;
    /* every bad row seen is a failed row, also the one that fails the job */
    cv_reader_reject(r, 1);
    if (!c->dead_letter)
        return cv_err_set(err, CV_EDATA, "%s:%llu%s: %s%s", lr->file, (unsigned long long)line, where, why, val);
    uint64_t n = __atomic_add_fetch(&t->bad, 1, __ATOMIC_RELAXED);
    cv_buf_reset(&lr->msg);
    cv_buf_putc(&lr->msg, '{');
    json_escape_into(&lr->msg, "file", lr->file, strlen(lr->file), false);
    cv_buf_printf(&lr->msg, ",\"line\":%llu", (unsigned long long)line);
    if (column) json_escape_into(&lr->msg, "column", column, strlen(column), true);
    json_escape_into(&lr->msg, "reason", why, strlen(why), true);
    json_escape_into(&lr->msg, "record", lr->rr.rec, lr->rr.rec_len, true);
    cv_buf_puts(&lr->msg, "}\n");
    if (lr->msg.oom) return nomem(err);
    /* one write per line, under the lock: lines of readers never mix; the
     * row past the limit is recorded too, so the file holds every row
     * counted as failed */
    pthread_mutex_lock(&ls->dl_mu);
    ssize_t w = write(t->dl_fd, lr->msg.data, lr->msg.len);
    pthread_mutex_unlock(&ls->dl_mu);
    if (w != (ssize_t)lr->msg.len)
        return cv_err_set(err, CV_EIO, "cannot write dead_letter_path %s: %s", c->dead_letter,
                          w < 0 ? strerror(errno) : "short write");
    if (c->max_bad >= 0 && n > (uint64_t)c->max_bad)
        return cv_err_set(err, CV_EDATA, "more than %lld bad rows (max_bad_rows); the last: %s:%llu%s: %s%s",
                          (long long)c->max_bad, lr->file, (unsigned long long)line, where, why, val);
    return 0;
}

/* One csv/text record into one row. */
static int text_row(cv_reader *r, lf_reader *lr, cv_batch *b, cv_err *err)
{
    const lf_table *t = lr->t;
    const cv_recreader *rr = &lr->rr;
    if (rr->bad) return bad_row(r, lr, NULL, rr->bad, rr->rec, rr->rec_len, err);
    /* SeaTunnel's text format takes the first fields and ignores the rest;
     * csv is strict */
    bool count_ok = rr->nf == t->nfile || (t->mode == CV_REC_TEXT && rr->nf > t->nfile);
    if (!count_ok && !t->content_only) {
        char why[96];
        snprintf(why, sizeof why, "expected %u fields, found %u", t->nfile, rr->nf);
        return bad_row(r, lr, NULL, why, rr->rec, rr->rec_len, err);
    }
    uint32_t start = b->nrows;
    for (uint32_t k = 0; k < t->table->ncols; k++) {
        int32_t src = t->from[k];
        if (src < 0) {
            const char *v = lr->part_vals[-1 - src];
            cv_col_append_str(&b->cols[k], v, strlen(v));
            continue;
        }
        const char *why = NULL;
        const char *p = t->content_only ? rr->rec : rr->f[src].p;
        size_t n = t->content_only ? rr->rec_len : rr->f[src].n;
        int rc;
        /* csv: "" is an empty string, an empty unquoted field is NULL */
        if (t->mode == CV_REC_CSV && n == 0 && !t->content_only) {
            if (rr->f[src].quoted && b->cols[k].type->id == CV_T_STRING)
                cv_col_append_str(&b->cols[k], "", 0);
            else
                cv_col_append_null(&b->cols[k]);
            continue;
        }
        rc = cv_text_to_col(&t->fmt, &b->cols[k], p, n, 1, &why);
        if (rc < 0) {
            cv_batch_truncate(b, start);
            return bad_row(r, lr, t->table->cols[k].name, why, p, n, err);
        }
    }
    cv_batch_end_row(b, CV_ROW_INSERT);
    return 0;
}

static int json_row(cv_reader *r, lf_reader *lr, cv_batch *b, cv_batch **scratch, cv_err *err)
{
    const lf_table *t = lr->t;
    const char *why;
    int col;
    bool direct = t->table->ncols == t->nfile && t->npart == 0 && !t->cfg->read_columns.n;
    cv_batch *target = b;
    if (!direct) {
        if (!*scratch && !(*scratch = cv_batch_new(t->file, 1))) return nomem(err);
        cv_batch_clear(*scratch);
        target = *scratch;
    }
    if (cv_json_row(target, lr->rr.rec, lr->rr.rec_len, &t->fmt, &why, &col) < 0)
        return bad_row(r, lr, col >= 0 ? t->file->cols[col].name : NULL, why, lr->rr.rec, lr->rr.rec_len, err);
    if (direct) return 0;
    for (uint32_t k = 0; k < t->table->ncols; k++) {
        int32_t src = t->from[k];
        if (src < 0) {
            const char *v = lr->part_vals[-1 - src];
            cv_col_append_str(&b->cols[k], v, strlen(v));
        } else {
            cv_col_append_range(&b->cols[k], &target->cols[src], 0, 1);
        }
    }
    cv_batch_end_row(b, CV_ROW_INSERT);
    return 0;
}

static int reader_next(cv_reader *r, cv_emit *out, cv_err *err)
{
    lf_reader *lr = r->priv;
    const lf_table *t = lr->t;
    if (lr->pending.code) {
        cv_err_move(err, &lr->pending);
        return lr->pending.code;
    }
    cv_batch *b = cv_emit_batch(out, t->table);
    if (!b) return nomem(err);
    cv_batch *scratch = NULL;
    int rc = CV_MORE;
    while (!cv_batch_full(b)) {
        int got = cv_rec_next(&lr->rr, err);
        if (got < 0) {
            rc = got;
            break;
        }
        if (got == 0) {
            rc = CV_DONE;
            break;
        }
        if (lr->skip) {
            lr->skip--;
            continue;
        }
        if (lr->rr.rec_len == 0 && !lr->rr.bad) continue; /* blank lines carry no row */
        int e = t->cfg->format == LF_JSON ? json_row(r, lr, b, &scratch, err) : text_row(r, lr, b, err);
        if (e < 0 && b->nrows > 0) {
            /* the good rows before a fatal one were read: hand them on
             * (they count as read) and fail at the next call */
            cv_err_move(&lr->pending, err);
            cv_err_clear(err);
            rc = CV_MORE;
            break;
        }
        if (e < 0) {
            rc = e;
            break;
        }
    }
    cv_batch_free(scratch);
    if (rc == CV_DONE) close_file(lr);
    return rc;
}

const cv_plugin cv__localfile_source = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_SOURCE,
    .name = "LocalFile",
    .summary = "read csv, text or JSON-lines files (plain, gzip, zstd or lz4) from a local path",
    .options = options,
    .settings_size = sizeof(lf_src_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_PARALLEL | CV_CAP_MULTI_TABLE | CV_CAP_SPLITS_FIXED,
    .example = "    path = \"/etc/os-release\"\n    file_format_type = \"text\"\n",
    .src_open = src_open,
    .src_splits = src_splits,
    .reader_open = reader_open,
    .reader_start = reader_start,
    .reader_next = reader_next,
    .reader_close = reader_close,
    .src_close = src_close,
};
