/* args.c — command-line parsing shared by every subcommand. Accepts
 * SeaTunnel's spellings (-c/--config, -i/--variable, -n/--name,
 * -m/--master, -e/--deploy-mode, --check, -Dkey=value) so the seatunnel.sh
 * wrapper is a thin shim. -i follows SeaTunnel: one argument may carry
 * several k=v pairs separated by commas outside quotes and brackets. */
#include "cli.h"

#include <string.h>

/* Hand s to c->owned (freed by cv_cli_free). Frees s itself when that
 * fails, so every string has exactly one owner and is freed once. */
static char *own(cv_cli *c, char *s)
{
    if (s && cv_vec_push(&c->owned, s) == 0) return s;
    cv_free(s);
    return NULL;
}

static int add_var(cv_cli *c, const char *item, size_t n, cv_err *err)
{
    const char *eq = memchr(item, '=', n);
    if (!eq || eq == item) return cv_err_set(err, CV_EINVAL, "-i expects name=value, got \"%.*s\"", (int)n, item);
    size_t kn = (size_t)(eq - item), vn = n - kn - 1;
    char *name = own(c, cv_strndup(item, kn));
    char *val = name ? own(c, cv_strndup(eq + 1, vn)) : NULL;
    if (!val || cv_vec_push(&c->var_names, name) < 0 || cv_vec_push(&c->var_values, val) < 0 ||
        (cv_secret_key(name, kn) && cv_secret_add(val, vn) < 0))
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    return 0;
}

static int parse_vars(cv_cli *c, const char *arg, cv_err *err)
{
    int depth = 0;
    char quote = 0;
    const char *start = arg;
    for (const char *p = arg;; p++) {
        char ch = *p;
        if (ch == '\0' || (ch == ',' && depth == 0 && !quote)) {
            if (p > start) CV_TRY(add_var(c, start, (size_t)(p - start), err));
            if (ch == '\0') break;
            start = p + 1;
        } else if (quote) {
            if (ch == quote) quote = 0;
        } else if (ch == '"' || ch == '\'') {
            quote = ch;
        } else if (ch == '[' || ch == '{') {
            depth++;
        } else if ((ch == ']' || ch == '}') && depth > 0) {
            depth--;
        }
    }
    return 0;
}

static int add_prop(cv_cli *c, const char *kv, cv_err *err)
{
    const char *eq = strchr(kv, '=');
    size_t kn = eq ? (size_t)(eq - kv) : strlen(kv);
    char *k = own(c, cv_strndup(kv, kn));
    char *v = k ? own(c, cv_strdup(eq ? eq + 1 : "true")) : NULL;
    if (!v || cv_map_put(&c->props, k, v) < 0 || (cv_secret_key(k, kn) && cv_secret_add(v, strlen(v)) < 0))
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    return 0;
}

int cv_cli_parse(cv_cli *c, int argc, char **argv, int first, cv_err *err)
{
    memset(c, 0, sizeof *c);
    c->progress = -1;
    cv_map_init(&c->props, false);
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_ARG()                                                           \
    do {                                                                     \
        if (!next) return cv_err_set(err, CV_EINVAL, "%s needs a value", a); \
        i++;                                                                 \
    } while (0)
        if (!strcmp(a, "-c") || !strcmp(a, "--config")) {
            NEED_ARG();
            c->config = next;
        } else if (!strncmp(a, "--config=", 9)) {
            c->config = a + 9;
        } else if (!strcmp(a, "-i") || !strcmp(a, "--variable")) {
            NEED_ARG();
            CV_TRY(parse_vars(c, next, err));
        } else if (!strcmp(a, "-n") || !strcmp(a, "--name")) {
            NEED_ARG();
            c->job_name = next;
        } else if (!strcmp(a, "-m") || !strcmp(a, "--master") || !strcmp(a, "-e") || !strcmp(a, "--deploy-mode")) {
            NEED_ARG();
            c->master = next;
        } else if (!strcmp(a, "--json")) {
            c->json = true;
        } else if (!strcmp(a, "--markdown")) {
            c->markdown = true;
        } else if (!strcmp(a, "--lenient")) {
            cv_options_set_lenient(true);
        } else if (!strcmp(a, "--check")) {
            c->check = true;
        } else if (!strcmp(a, "--progress")) {
            c->progress = 1;
        } else if (!strcmp(a, "--no-progress")) {
            c->progress = 0;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            cv_log_set_level(CV_LOG_WARN);
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            cv_log_set_level(CV_LOG_DEBUG);
        } else if (!strcmp(a, "-D")) {
            NEED_ARG();
            CV_TRY(add_prop(c, next, err));
        } else if (!strncmp(a, "-D", 2)) {
            CV_TRY(add_prop(c, a + 2, err));
        } else if (a[0] == '-' && a[1]) {
            return cv_err_set(err, CV_EINVAL, "unknown flag %s (see culvert --help)", a);
        } else if (!c->positional) {
            c->positional = a;
        } else {
            return cv_err_set(err, CV_EINVAL, "unexpected argument \"%s\"", a);
        }
#undef NEED_ARG
    }
    if (c->master && strcmp(c->master, "local") != 0 && strcmp(c->master, "cluster") != 0)
        return cv_err_set(err, CV_EINVAL, "-m takes local or cluster, not \"%s\"", c->master);
    return 0;
}

void cv_cli_free(cv_cli *c)
{
    for (size_t i = 0; i < c->owned.n; i++) cv_free(c->owned.v[i]);
    cv_vec_free(&c->owned);
    cv_vec_free(&c->var_names);
    cv_vec_free(&c->var_values);
    cv_map_free(&c->props);
}
