/* cmd_connectors.c — `culvert connectors [NAME] [--json]`: the catalog of
 * built-in plugins, rendered from their option tables. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char *caps_text(uint32_t c, char *buf, size_t n)
{
    buf[0] = '\0';
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {{CV_CAP_BATCH, "batch"},          {CV_CAP_STREAMING, "streaming"},
                 {CV_CAP_PARALLEL, "parallel"},    {CV_CAP_EXACTLY_ONCE, "exactly-once"},
                 {CV_CAP_CDC, "cdc"},              {CV_CAP_MULTI_TABLE, "multi-table"},
                 {CV_CAP_SCHEMA_EVOLUTION, "schema-evolution"}};
    for (size_t i = 0; i < CV_ARRAY_LEN(names); i++)
        if (c & names[i].bit) {
            size_t l = strlen(buf);
            snprintf(buf + l, n - l, "%s%s", l ? ", " : "", names[i].name);
        }
    return buf;
}

static void json_opt(const cv_option *o, cv_buf *out)
{
    cv_buf_puts(out, "{\"key\":");
    cv_buf_json_str(out, o->key, strlen(o->key));
    cv_buf_printf(out, ",\"type\":\"%s\",\"required\":%s,\"secret\":%s", cv_opt_type_name(o->type),
                  (o->flags & CV_OPT_REQUIRED) ? "true" : "false", (o->flags & CV_OPT_SECRET) ? "true" : "false");
    cv_buf_puts(out, ",\"default\":");
    if (o->def) cv_buf_json_str(out, o->def, strlen(o->def));
    else cv_buf_puts(out, "null");
    cv_buf_puts(out, ",\"doc\":");
    cv_buf_json_str(out, o->doc ? o->doc : "", o->doc ? strlen(o->doc) : 0);
    if (o->aliases) {
        cv_buf_puts(out, ",\"aliases\":");
        cv_buf_json_str(out, o->aliases, strlen(o->aliases));
    }
    if (o->enums) {
        cv_buf_puts(out, ",\"values\":[");
        for (int i = 0; o->enums[i]; i++) {
            if (i) cv_buf_putc(out, ',');
            cv_buf_json_str(out, o->enums[i], strlen(o->enums[i]));
        }
        cv_buf_putc(out, ']');
    }
    if (o->min < o->max) cv_buf_printf(out, ",\"min\":%lld,\"max\":%lld", (long long)o->min, (long long)o->max);
    if (o->flags & CV_OPT_DEPRECATED) cv_buf_puts(out, ",\"deprecated\":true");
    if (o->flags & CV_OPT_IGNORED) cv_buf_puts(out, ",\"ignored\":true");
    if (o->note) {
        cv_buf_puts(out, ",\"note\":");
        cv_buf_json_str(out, o->note, strlen(o->note));
    }
    cv_buf_putc(out, '}');
}

static void json_plugin(const cv_plugin *p, cv_buf *out)
{
    char caps[160];
    cv_buf_puts(out, "{\"name\":");
    cv_buf_json_str(out, p->name, strlen(p->name));
    cv_buf_printf(out, ",\"kind\":\"%s\",\"summary\":", cv_plugin_kind_name(p->kind));
    cv_buf_json_str(out, p->summary ? p->summary : "", p->summary ? strlen(p->summary) : 0);
    cv_buf_printf(out, ",\"capabilities\":\"%s\",\"options\":[", caps_text(p->caps, caps, sizeof caps));
    bool first = true;
    const cv_option *sets[2] = {cv_plan_common_options(p->kind), p->options};
    for (int s = 0; s < 2; s++)
        for (const cv_option *o = sets[s]; o && o->key; o++) {
            if (!first) cv_buf_putc(out, ',');
            first = false;
            json_opt(o, out);
        }
    cv_buf_puts(out, "]");
    if (p->example) {
        cv_buf_puts(out, ",\"example\":");
        cv_buf_json_str(out, p->example, strlen(p->example));
    }
    cv_buf_putc(out, '}');
}

static void text_plugin(const cv_plugin *p)
{
    char caps[160];
    printf("%s (%s) — %s\ncapabilities: %s\n\n", p->name, cv_plugin_kind_name(p->kind),
           p->summary ? p->summary : "", caps_text(p->caps, caps, sizeof caps));
    printf("  %-32s %-12s %-10s %s\n", "option", "type", "default", "description");
    const cv_option *sets[2] = {p->options, cv_plan_common_options(p->kind)};
    for (int s = 0; s < 2; s++)
        for (const cv_option *o = sets[s]; o && o->key; o++) {
            if (o->flags & CV_OPT_IGNORED) continue;
            char key[96];
            snprintf(key, sizeof key, "%s%s", o->key, (o->flags & CV_OPT_REQUIRED) ? " *" : "");
            printf("  %-32s %-12s %-10s %s", key, cv_opt_type_name(o->type), o->def ? o->def : "-",
                   o->doc ? o->doc : "");
            if (o->enums) {
                printf(" [");
                for (int i = 0; o->enums[i]; i++) printf("%s%s", i ? "|" : "", o->enums[i]);
                printf("]");
            }
            if (o->aliases) printf(" (also: %s)", o->aliases);
            printf("\n");
        }
    printf("\n  * required\n");
    if (p->example) printf("\nexample:\n  %s {\n%s  }\n", p->name, p->example);
}

int cv_cmd_connectors(cv_cli *c)
{
    size_t n;
    const cv_plugin *const *all = cv_plugin_all(&n);
    if (c->positional) {
        const cv_plugin *found[3];
        int nf = 0;
        for (size_t i = 0; i < n; i++)
            if (cv_streq_nocase(all[i]->name, c->positional) && nf < 3) found[nf++] = all[i];
        if (nf == 0) {
            const char *cands[256];
            size_t k = 0;
            for (size_t i = 0; i < n && k < 256; i++)
                if (!(all[i]->caps & CV_CAP_HIDDEN)) cands[k++] = all[i]->name;
            const char *dym = cv_did_you_mean(c->positional, cands, k);
            fprintf(stderr, "error: no plugin named \"%s\"%s%s%s\n", c->positional,
                    dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "");
            return CV_EXIT_USAGE;
        }
        cv_buf out;
        cv_buf_init(&out);
        if (c->json) cv_buf_putc(&out, '[');
        for (int i = 0; i < nf; i++) {
            if (c->json) {
                if (i) cv_buf_putc(&out, ',');
                json_plugin(found[i], &out);
            } else {
                if (i) printf("\n");
                text_plugin(found[i]);
            }
        }
        if (c->json) {
            cv_buf_puts(&out, "]\n");
            fputs(out.data, stdout);
        }
        cv_buf_free(&out);
        return CV_EXIT_OK;
    }
    if (c->json) {
        cv_buf out;
        cv_buf_init(&out);
        cv_buf_puts(&out, "{\"env\":[");
        for (const cv_option *o = cv_plan_env_options(); o->key; o++) {
            if (o != cv_plan_env_options()) cv_buf_putc(&out, ',');
            json_opt(o, &out);
        }
        cv_buf_puts(&out, "],\"plugins\":[");
        bool first = true;
        for (size_t i = 0; i < n; i++) {
            if (all[i]->caps & CV_CAP_HIDDEN) continue;
            if (!first) cv_buf_putc(&out, ',');
            first = false;
            json_plugin(all[i], &out);
        }
        cv_buf_puts(&out, "]}\n");
        fputs(out.data, stdout);
        cv_buf_free(&out);
        return CV_EXIT_OK;
    }
    for (int k = 0; k < 3; k++) {
        printf("%ss:\n", cv_plugin_kind_name((cv_plugin_kind)k));
        for (size_t i = 0; i < n; i++)
            if ((int)all[i]->kind == k && !(all[i]->caps & CV_CAP_HIDDEN))
                printf("  %-20s %s\n", all[i]->name, all[i]->summary ? all[i]->summary : "");
        printf("\n");
    }
    printf("run `culvert connectors NAME` for a plugin's options\n");
    return CV_EXIT_OK;
}
