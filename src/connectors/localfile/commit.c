/* commit.c — how LocalFile publishes a transaction, and how a run cleans up
 * after one that was killed.
 *
 * Staging: a run's sink stages under <tmp_path>/seatunnel/<jobId>/<uuid>/
 * (SeaTunnel's layout). culvert marks that directory as its own with a
 * `.culvert-run` file that names the sink's `path` (the "same job" key)
 * and that the run holds an flock on for as long as it lives: the kernel
 * drops the lock when the process dies, however it dies.
 *
 * Commit: before the first rename, the list of files (staged name, final
 * name, rows, and what was at the final name before) is written to
 * `.culvert-commit` and synced. Then the files are renamed into place — or,
 * on another file system, copied into an unnamed file (O_TMPFILE) in the
 * target directory and linked in once complete, so a kill never leaves a
 * partial file there. The list is removed when every file is in place.
 *
 * Recovery: a run starts by looking for marked directories of the same key
 * whose lock it can take (their run is dead). A commit list there means the
 * dead run was killed inside its commit: its files are rolled back — those
 * already published are removed from the target, as the new run will write
 * everything again (culvert does not resume a killed run). Then the staged
 * files are removed, and a log line says what was cleared. A failed commit
 * rolls itself back the same way, at once. Either way a job's files appear
 * all together or not at all, and a rerun neither loses nor doubles one.
 *
 * Test-only (debug builds, !NDEBUG): CULVERT_TEST_CRASH=publish:K kills the
 * process (SIGKILL) before the K-th file of a commit is published, copy:K
 * halfway through copying the K-th file to another file system, fail:K
 * makes the K-th publish fail. Release builds have no such hook.
 */
#include "localfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUN_MARK ".culvert-run"
#define COMMIT_LIST ".culvert-commit"

/* ---- the test hook ------------------------------------------------------------ */

#ifndef NDEBUG
static bool test_point(const char *point)
{
    static int counts[3];
    static const char *const points[] = {"publish", "copy", "fail"};
    const char *spec = getenv("CULVERT_TEST_CRASH");
    if (!spec) return false;
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(points[i]);
        if (strcmp(point, points[i]) != 0) continue;
        counts[i]++;
        return strncmp(spec, point, n) == 0 && spec[n] == ':' && strtol(spec + n + 1, NULL, 10) == counts[i];
    }
    return false;
}
#define TEST_POINT(p) test_point(p)
#else
#define TEST_POINT(p) false
#endif

/* ---- small file helpers ---------------------------------------------------------- */

/* a + sep + b into out; false (and out empty) when it does not fit */
static bool join(char *out, size_t cap, const char *a, const char *sep, const char *b)
{
    size_t na = strlen(a), ns = strlen(sep), nb = strlen(b);
    if (na + ns + nb >= cap) {
        if (cap) out[0] = '\0';
        return false;
    }
    memcpy(out, a, na);
    memcpy(out + na, sep, ns);
    memcpy(out + na + ns, b, nb + 1);
    return true;
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static void dir_of(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, cap, ".");
    else if (slash == path)
        snprintf(out, cap, "/");
    else
        snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

/* The hidden name a copy or a replacing link uses next to final. */
static void hidden_of(const char *final, char *out, size_t cap)
{
    const char *slash = strrchr(final, '/');
    snprintf(out, cap, "%.*s.%s.culvert-tmp", slash ? (int)(slash - final + 1) : 0, final, slash ? slash + 1 : final);
}

int lf_remove_tree(const char *path, bool keep_root, uint64_t *files, uint64_t *bytes, cv_err *err)
{
    DIR *d = opendir(path);
    if (!d) {
        if (errno == ENOENT) return 0;
        if (errno == ENOTDIR) {
            struct stat st;
            if (files && lstat(path, &st) == 0) ++*files, *bytes += (uint64_t)st.st_size;
            return unlink(path) == 0 ? 0 : cv_err_set(err, CV_EIO, "cannot delete %s: %s", path, strerror(errno));
        }
        return cv_err_set(err, CV_EIO, "cannot read %s: %s", path, strerror(errno));
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char child[4096];
        if (!join(child, sizeof child, path, "/", de->d_name)) {
            rc = cv_err_set(err, CV_EIO, "cannot delete under %s: a path too long", path);
            break;
        }
        struct stat st;
        if (lstat(child, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            rc = lf_remove_tree(child, false, files, bytes, err);
        } else if (unlink(child) != 0) {
            rc = cv_err_set(err, CV_EIO, "cannot delete %s: %s", child, strerror(errno));
        } else if (files) {
            ++*files;
            *bytes += (uint64_t)st.st_size;
        }
    }
    closedir(d);
    if (rc == 0 && !keep_root && rmdir(path) != 0)
        rc = cv_err_set(err, CV_EIO, "cannot delete %s: %s", path, strerror(errno));
    return rc;
}

/* ---- commit lists ------------------------------------------------------------------- */

/* One file of a commit. Commit infos carry "tmp\tfinal\trows\ttable\n"
 * (tmp empty: written in place); the commit list adds what was at final
 * before ("-" or "dev:ino"). */
typedef struct {
    char *tmp, *final;
    uint64_t rows;
    uint32_t table;
    int writer; /* whose commit info listed it */
    bool had_final;
    uint64_t dev, ino;
    bool published; /* by this commit */
} lf_pair;

typedef CV_VEC(lf_pair) pair_vec;

static void pairs_free(pair_vec *v)
{
    for (size_t i = 0; i < v->n; i++) {
        cv_free(v->v[i].tmp);
        cv_free(v->v[i].final);
    }
    cv_vec_free(v);
}

/* Parse lines of "tmp\tfinal\trows\ttable[\tbefore]". */
static int parse_pairs(const char *p, size_t len, pair_vec *out)
{
    const char *e = p + len;
    while (p < e) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        if (!nl) break;
        const char *f[5];
        size_t fl[5], nf = 0;
        for (const char *q = p; nf < 5;) {
            const char *tab = memchr(q, '\t', (size_t)(nl - q));
            f[nf] = q;
            fl[nf++] = (size_t)((tab ? tab : nl) - q);
            if (!tab) break;
            q = tab + 1;
        }
        if (nf >= 4) {
            lf_pair pr = {0};
            pr.tmp = cv_strndup(f[0], fl[0]);
            pr.final = cv_strndup(f[1], fl[1]);
            pr.rows = strtoull(f[2], NULL, 10);
            pr.table = (uint32_t)strtoul(f[3], NULL, 10);
            if (nf == 5 && fl[4] > 1) {
                char *colon;
                pr.had_final = true;
                pr.dev = strtoull(f[4], &colon, 10);
                pr.ino = *colon == ':' ? strtoull(colon + 1, NULL, 10) : 0;
            }
            if (!pr.tmp || !pr.final || cv_vec_push(out, pr) < 0) {
                cv_free(pr.tmp);
                cv_free(pr.final);
                return CV_ENOMEM;
            }
        }
        p = nl + 1;
    }
    return 0;
}

static int write_list(const lf_stage *st, const pair_vec *v, cv_err *err)
{
    char path[4200], tmp[4200];
    join(path, sizeof path, st->dir, "/", COMMIT_LIST);
    join(tmp, sizeof tmp, path, "", ".new");
    cv_buf b;
    cv_buf_init(&b);
    for (size_t i = 0; i < v->n; i++) {
        const lf_pair *p = &v->v[i];
        cv_buf_printf(&b, "%s\t%s\t%llu\t%u\t", p->tmp, p->final, (unsigned long long)p->rows, p->table);
        if (p->had_final)
            cv_buf_printf(&b, "%llu:%llu\n", (unsigned long long)p->dev, (unsigned long long)p->ino);
        else
            cv_buf_puts(&b, "-\n");
    }
    int rc = b.oom ? cv_err_set(err, CV_ENOMEM, "out of memory") : 0;
    int fd = rc == 0 ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
    if (rc == 0 && (fd < 0 || write(fd, b.data ? b.data : "", b.len) != (ssize_t)b.len || fsync(fd) != 0))
        rc = cv_err_set(err, CV_EIO, "cannot write the commit list %s: %s", tmp, strerror(errno));
    if (fd >= 0) close(fd);
    if (rc == 0 && rename(tmp, path) != 0)
        rc = cv_err_set(err, CV_EIO, "cannot write the commit list %s: %s", path, strerror(errno));
    if (rc == 0) sync_dir(st->dir);
    cv_buf_free(&b);
    return rc;
}

static void drop_list(const char *run_dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/" COMMIT_LIST, run_dir);
    if (unlink(path) == 0) sync_dir(run_dir);
}

/* ---- publishing ---------------------------------------------------------------------- */

/* Give an unnamed (O_TMPFILE) file a name. */
static int link_fd(int fd, const char *to)
{
    if (linkat(fd, "", AT_FDCWD, to, AT_EMPTY_PATH) == 0) return 0;
    if (errno == EEXIST) return -1;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    return linkat(AT_FDCWD, proc, AT_FDCWD, to, AT_SYMLINK_FOLLOW);
}

/* Copy across file systems. The copy is an unnamed file in the target
 * directory until it is complete and synced, then linked in (through a
 * hidden name and a rename when final must be replaced). Where O_TMPFILE is
 * not supported it is written under the hidden name, which a killed run's
 * successor removes (it is derived from final). */
static int copy_into_place(const char *tmp, const char *final, const char *dir, cv_err *err)
{
    char hidden[4200];
    hidden_of(final, hidden, sizeof hidden);
    int in = open(tmp, O_RDONLY | O_CLOEXEC);
    if (in < 0) return cv_err_set(err, CV_EIO, "cannot open %s: %s", tmp, strerror(errno));
    int out = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    bool named = out < 0;
    if (named) out = open(hidden, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    struct stat st;
    off_t half = fstat(in, &st) == 0 ? st.st_size / 2 : 0, done = 0;
    bool crash = TEST_POINT("copy");
    int rc = out < 0 ? -1 : 0;
    char buf[1 << 16];
    ssize_t n;
    while (rc == 0 && (n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, (size_t)n) != n) rc = -1;
        done += n;
        if (crash && done >= half) raise(SIGKILL);
    }
    if (rc == 0 && n < 0) rc = -1;
    if (rc == 0 && fsync(out) != 0) rc = -1;
    if (rc == 0 && !named && link_fd(out, final) != 0) {
        /* final exists (a name used before): replace it atomically */
        bool exists = errno == EEXIST;
        unlink(hidden);
        if (!exists || link_fd(out, hidden) != 0 || rename(hidden, final) != 0) rc = -1;
    }
    if (rc == 0 && named && rename(hidden, final) != 0) rc = -1;
    int e = errno;
    close(in);
    if (out >= 0 && close(out) != 0 && rc == 0) rc = -1, e = errno;
    if (rc < 0) {
        unlink(hidden);
        return cv_err_set(err, CV_EIO, "cannot copy %s to %s: %s", tmp, final, strerror(e));
    }
    unlink(tmp);
    return 0;
}

static int publish(lf_pair *p, cv_err *err)
{
    if (TEST_POINT("publish")) raise(SIGKILL);
    if (TEST_POINT("fail"))
        return cv_err_set(err, CV_EIO, "cannot commit %s: injected failure (CULVERT_TEST_CRASH)", p->final);
    struct stat st;
    if (stat(p->tmp, &st) != 0) {
        /* already published by an earlier attempt of this commit */
        if (stat(p->final, &st) == 0) return 0;
        return cv_err_set(err, CV_EIO, "cannot commit %s: neither the staged file %s nor the target exists", p->final,
                          p->tmp);
    }
    char dir[4096];
    dir_of(p->final, dir, sizeof dir);
    CV_TRY(lf_mkdirs(dir, err));
    if (rename(p->tmp, p->final) != 0) {
        if (errno != EXDEV)
            return cv_err_set(err, CV_EIO, "cannot move %s to %s: %s", p->tmp, p->final, strerror(errno));
        CV_TRY(copy_into_place(p->tmp, p->final, dir, err));
    }
    p->published = true;
    sync_dir(dir);
    return 0;
}

/* Undo one file of a commit: remove what it staged, and what it put at
 * final — told apart from an older file of the same name by the inode that
 * was there before. Returns true when nothing of it stays published. */
static bool roll_back(const lf_pair *p, uint32_t *removed, uint64_t *staged, uint64_t *bytes)
{
    char hidden[4200];
    struct stat ts;
    if (*p->tmp && lstat(p->tmp, &ts) == 0 && unlink(p->tmp) == 0) ++*staged, *bytes += (uint64_t)ts.st_size;
    hidden_of(p->final, hidden, sizeof hidden);
    unlink(hidden);
    struct stat st;
    if (!*p->tmp || stat(p->final, &st) != 0) return true; /* in place by design, or never published */
    if (p->had_final && (uint64_t)st.st_dev == p->dev && (uint64_t)st.st_ino == p->ino) return true;
    if (unlink(p->final) != 0) return false;
    ++*removed;
    char dir[4096];
    dir_of(p->final, dir, sizeof dir);
    sync_dir(dir);
    return true;
}

/* Remove the transaction directories that commit or abort emptied. */
static void clean_txn_dirs(const char *tmp)
{
    /* tmp is <tmp_path>/seatunnel/<job>/<uuid>/<txn>/<table>/[partitions/]file */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", tmp);
    for (int up = 0; up < 16; up++) {
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) break;
        *slash = '\0';
        if (strstr(dir, "/seatunnel/") == NULL) break;
        if (rmdir(dir) != 0) break; /* not empty: other files still staged there */
    }
}

int lf_commit(lf_stage *st, const char *label, const cv_commit_info *infos, size_t n, lf_ack_fn ack, void *user,
              cv_err *err)
{
    pair_vec v = {0};
    for (size_t i = 0; i < n; i++) {
        size_t from = v.n;
        if (parse_pairs(infos[i].data, infos[i].len, &v) < 0) {
            pairs_free(&v);
            return cv_err_set(err, CV_ENOMEM, "out of memory");
        }
        for (size_t k = from; k < v.n; k++) v.v[k].writer = infos[i].writer;
    }
    for (size_t i = 0; i < v.n; i++) {
        struct stat s;
        lf_pair *p = &v.v[i];
        if (*p->tmp && stat(p->final, &s) == 0) {
            p->had_final = true;
            p->dev = (uint64_t)s.st_dev;
            p->ino = (uint64_t)s.st_ino;
        }
    }
    bool staged = false;
    for (size_t i = 0; i < v.n; i++) staged |= *v.v[i].tmp != '\0';
    int rc = staged && st->lock_fd >= 0 ? write_list(st, &v, err) : 0;
    for (size_t i = 0; rc == 0 && i < v.n; i++)
        if (*v.v[i].tmp) rc = publish(&v.v[i], err);
    uint64_t rows = 0;
    size_t files = 0;
    if (rc == 0) {
        for (size_t i = 0; i < v.n; i++) {
            files++;
            rows += v.v[i].rows;
            if (*v.v[i].tmp) ack(user, v.v[i].writer, v.v[i].table, v.v[i].rows); /* in place: acked at prepare */
        }
        if (staged && st->lock_fd >= 0) drop_list(st->dir);
        cv_info("%s: committed %zu files with %llu rows", label, files, (unsigned long long)rows);
    } else {
        /* all or nothing: take back what this commit already published */
        uint32_t removed = 0;
        uint64_t staged_files = 0, staged_bytes = 0;
        bool clean = true;
        for (size_t i = 0; i < v.n; i++) {
            if (!roll_back(&v.v[i], &removed, &staged_files, &staged_bytes) && *v.v[i].tmp) {
                clean = false;
                ack(user, v.v[i].writer, v.v[i].table, v.v[i].rows); /* stuck in place: it counts */
            }
        }
        if (clean && st->lock_fd >= 0) drop_list(st->dir);
        cv_warn("%s: the commit failed; rolled back the %u files it had published%s", label, removed,
                clean ? "" : " (some could not be removed: the next run of this job removes them)");
    }
    for (size_t i = 0; i < v.n; i++)
        if (*v.v[i].tmp) clean_txn_dirs(v.v[i].tmp);
    pairs_free(&v);
    return rc;
}

void lf_discard(const cv_commit_info *infos, size_t n)
{
    pair_vec v = {0};
    for (size_t i = 0; i < n; i++)
        if (parse_pairs(infos[i].data, infos[i].len, &v) < 0) break;
    for (size_t i = 0; i < v.n; i++)
        if (*v.v[i].tmp) {
            unlink(v.v[i].tmp);
            clean_txn_dirs(v.v[i].tmp);
        }
    pairs_free(&v);
}

/* ---- staging directories and recovery -------------------------------------------------- */

static int read_small(const char *path, cv_buf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) cv_buf_put(out, buf, (size_t)n);
    close(fd);
    return n < 0 ? -1 : 0;
}

/* A dead run's directory: roll back its unfinished commit, remove the rest. */
static int recover_run(const char *label, const char *run, cv_err *err)
{
    char list[4200];
    snprintf(list, sizeof list, "%s/" COMMIT_LIST, run);
    cv_buf b;
    cv_buf_init(&b);
    uint32_t removed = 0;
    uint64_t files = 0, bytes = 0;
    bool clean = true;
    if (read_small(list, &b) == 0) {
        pair_vec v = {0};
        if (parse_pairs(b.data ? b.data : "", b.len, &v) < 0) {
            pairs_free(&v);
            cv_buf_free(&b);
            return cv_err_set(err, CV_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < v.n; i++) clean &= roll_back(&v.v[i], &removed, &files, &bytes);
        pairs_free(&v);
    }
    cv_buf_free(&b);
    if (!clean)
        return cv_err_set(err, CV_EIO,
                          "cannot roll back the files an earlier, killed run published (listed in %s): %s; remove "
                          "them, then that list",
                          list, strerror(errno));
    /* the bookkeeping first, so that the count is of staged data */
    char mark[4200];
    join(mark, sizeof mark, run, "/", RUN_MARK);
    unlink(list);
    unlink(mark);
    cv_err e;
    cv_err_clear(&e);
    int rc = lf_remove_tree(run, false, &files, &bytes, &e);
    char rolled[96] = "";
    if (removed)
        snprintf(rolled, sizeof rolled, "; rolled back %u files its interrupted commit had published", removed);
    cv_warn("%s: an earlier run of this job was killed: removed its %llu staged files (%llu bytes) from %s%s", label,
            (unsigned long long)files, (unsigned long long)bytes, run, rolled);
    if (rc < 0) cv_warn("%s: %s", label, e.msg);
    return 0;
}

/* Dead runs of the same key under <tmp_path>/seatunnel/<job>/<uuid>/. */
static int recover(const char *label, const char *tmp_path, const char *key, const char *own, cv_err *err)
{
    char root[4096];
    snprintf(root, sizeof root, "%s/seatunnel", tmp_path);
    DIR *jobs = opendir(root);
    if (!jobs) return 0;
    int rc = 0;
    struct dirent *je;
    while (rc == 0 && (je = readdir(jobs))) {
        if (je->d_name[0] == '.') continue;
        char jdir[4096];
        if (!join(jdir, sizeof jdir, root, "/", je->d_name)) continue;
        DIR *runs = opendir(jdir);
        if (!runs) continue;
        struct dirent *re;
        while (rc == 0 && (re = readdir(runs))) {
            if (re->d_name[0] == '.') continue;
            char run[4096], mark[4200];
            if (!join(run, sizeof run, jdir, "/", re->d_name)) continue;
            if (own && strcmp(run, own) == 0) continue;
            snprintf(mark, sizeof mark, "%s/" RUN_MARK, run);
            int fd = open(mark, O_RDWR | O_CLOEXEC);
            if (fd < 0) continue; /* not culvert's, or not ready yet */
            if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
                close(fd); /* its run is alive */
                continue;
            }
            cv_buf b;
            cv_buf_init(&b);
            bool same = read_small(mark, &b) == 0 && b.len == strlen(key) && memcmp(b.data, key, b.len) == 0;
            cv_buf_free(&b);
            if (same) rc = recover_run(label, run, err);
            close(fd);
        }
        closedir(runs);
        rmdir(jdir); /* when it emptied */
    }
    closedir(jobs);
    return rc;
}

int lf_stage_open(lf_stage *st, const char *label, const char *tmp_path, const char *job, const char *uuid,
                  const char *key, bool transaction, cv_err *err)
{
    st->lock_fd = -1;
    snprintf(st->dir, sizeof st->dir, "%s/seatunnel/%s/%s", tmp_path, job, uuid);
    CV_TRY(recover(label, tmp_path, key, st->dir, err));
    if (!transaction) return 0;
    CV_TRY(lf_mkdirs(st->dir, err));
    /* locked before it gets its name: a marked directory is always locked
     * while its run lives */
    char tmp[4200], mark[4200];
    snprintf(tmp, sizeof tmp, "%s/" RUN_MARK ".new", st->dir);
    snprintf(mark, sizeof mark, "%s/" RUN_MARK, st->dir);
    int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    size_t kl = strlen(key);
    if (fd < 0 || flock(fd, LOCK_EX) != 0 || write(fd, key, kl) != (ssize_t)kl || rename(tmp, mark) != 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        unlink(tmp);
        return cv_err_set(err, CV_EIO, "cannot claim the staging directory %s: %s", st->dir, strerror(e));
    }
    st->lock_fd = fd;
    return 0;
}

void lf_stage_close(lf_stage *st)
{
    if (st->lock_fd < 0) return;
    char list[4200];
    snprintf(list, sizeof list, "%s/" COMMIT_LIST, st->dir);
    struct stat s;
    /* an unfinished rollback keeps its list for the next run */
    if (stat(list, &s) != 0) {
        cv_err e;
        cv_err_clear(&e);
        char mark[4200];
        snprintf(mark, sizeof mark, "%s/" RUN_MARK, st->dir);
        /* staged leftovers first, the mark last: a kill in between leaves
         * a marked directory the next run clears */
        DIR *d = opendir(st->dir);
        struct dirent *de;
        while (d && (de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || !strcmp(de->d_name, RUN_MARK)) continue;
            char child[4200];
            if (!join(child, sizeof child, st->dir, "/", de->d_name)) continue;
            lf_remove_tree(child, false, NULL, NULL, &e);
        }
        if (d) closedir(d);
        unlink(mark);
        rmdir(st->dir);
        char job[4096];
        dir_of(st->dir, job, sizeof job);
        rmdir(job); /* when no other run of the job stages there */
    }
    close(st->lock_fd);
    st->lock_fd = -1;
}
