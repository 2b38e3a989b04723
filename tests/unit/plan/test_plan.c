/* test_plan.c — the plan layer through its API: env defaults and aliases,
 * block collection (HOCON and JSON), wiring rules (simple graphs, default
 * chaining, names, merges, fan-out), topological order, schema derivation,
 * and every wiring error with its position. */
#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "plan/plan.h"

typedef struct {
    cv_doc doc;
    cv_plan plan;
    cv_err err;
    int rc;
} fixture;

static int build(fixture *f, const char *text)
{
    memset(f, 0, sizeof *f);
    cv_err_clear(&f->err);
    cv_vars vars = {NULL, NULL, 0, true};
    cv_plan_opts po = {NULL, true, NULL};
    f->rc = cv_config_parse(&f->doc, "t.conf", text, strlen(text), &vars, &f->err);
    if (f->rc == 0) f->rc = cv_plan_build(&f->plan, &f->doc, &po, &f->err);
    return f->rc;
}

static void done(fixture *f)
{
    cv_plan_close(&f->plan);
    cv_doc_free(&f->doc);
}

/* "0>1 1>2": the edges of the plan, by node id. */
static const char *edges(const cv_plan *p)
{
    static char out[512];
    size_t n = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < p->nnodes; i++)
        for (uint32_t k = 0; k < p->nodes[i]->ndowns; k++)
            n += (size_t)snprintf(out + n, sizeof out - n, "%s%d>%d", n ? " " : "", p->nodes[i]->id,
                                  p->nodes[i]->downs[k]->id);
    return out;
}

#define SRC(out, cols) "FakeSource { plugin_output = " out ", schema = { fields { " cols " } } }\n"

TEST(env_defaults_and_aliases)
{
    fixture f;
    REQUIRE_INT(build(&f, "source { " SRC("a", "id = int") " }\nsink { Console { } }"), 0);
    CHECK_INT(f.plan.env.mode, CV_MODE_BATCH);
    CHECK_INT(f.plan.env.parallelism, 1);
    CHECK_STR(f.plan.env.job_name, "SeaTunnel_Job");
    CHECK_INT(f.plan.env.retry_times, 3);
    done(&f);
    REQUIRE_INT(build(&f, "env { execution.parallelism = 3, job.mode = streaming, job.name = x, spark.app.name = y,"
                          " execution.planner = blink }\n"
                          "source { " SRC("a", "id = int") " }\nsink { Console { } }"),
                0);
    CHECK_INT(f.plan.env.parallelism, 3);
    CHECK_INT(f.plan.env.mode, CV_MODE_STREAMING);
    CHECK_STR(f.plan.env.job_name, "x");
    CHECK_INT(f.plan.nodes[0]->parallelism, 3);
    done(&f);
}

TEST(simple_graph_ignores_names)
{
    fixture f;
    REQUIRE_INT(
        build(&f,
              "source { " SRC(
                  "a",
                  "id = int, n = string") " }\n"
                                          "transform { FieldMapper { plugin_input = zz, field_mapper = { id = k } } }\n"
                                          "sink { Console { plugin_input = other } }"),
        0);
    CHECK(f.plan.simple);
    CHECK_STR(edges(&f.plan), "0>1 1>2");
    CHECK_STR(f.plan.nodes[2]->tables[0]->cols[0].name, "k");
    done(&f);
}

TEST(default_chaining_in_larger_graphs)
{
    fixture f;
    REQUIRE_INT(build(&f, "source { " SRC(
                              "a", "id = int, n = string") " }\n"
                                                           "transform {\n FilterRowKind { include_kinds = [INSERT] }\n"
                                                           " FieldMapper { field_mapper = { n = name } } }\n"
                                                           "sink { Console { }\n Console { } }"),
                0);
    CHECK(!f.plan.simple);
    /* each transform reads the stream before it; both sinks read the last */
    CHECK_STR(edges(&f.plan), "0>1 1>2 2>3 2>4");
    CHECK_INT(f.plan.nodes[3]->tables[0]->ncols, 1);
    done(&f);
}

TEST(named_wiring_fan_out_and_merge)
{
    fixture f;
    REQUIRE_INT(build(&f, "env { parallelism = 2 }\n"
                          "source { " SRC("a", "id = int")
                              SRC("b", "id = int") " }\n"
                                                   "transform { FieldMapper { plugin_input = [a, b], plugin_output = "
                                                   "ab, field_mapper = { id = x } } }\n"
                                                   "sink { Console { plugin_input = \"a,b\" }\n Console { plugin_input "
                                                   "= ab, parallelism = 5 } }"),
                0);
    CHECK_STR(edges(&f.plan), "0>2 0>3 1>2 1>3 2>4");
    CHECK_INT(f.plan.nodes[3]->nups, 2);
    CHECK_INT(f.plan.nodes[3]->ntables, 2);
    CHECK_INT(f.plan.nodes[3]->parallelism, 2); /* follows its first upstream */
    CHECK_INT(f.plan.nodes[4]->parallelism, 5); /* its own */
    /* topological order: every node after its upstreams */
    for (uint32_t i = 0; i < f.plan.nnodes; i++)
        for (uint32_t u = 0; u < f.plan.order[i]->nups; u++) {
            bool before = false;
            for (uint32_t k = 0; k < i; k++) before |= f.plan.order[k] == f.plan.order[i]->ups[u];
            CHECK(before);
        }
    done(&f);
}

TEST(legacy_names_and_new_names_win)
{
    fixture f;
    REQUIRE_INT(
        build(&f,
              "source { FakeSource { result_table_name = old, plugin_output = new, schema = { fields { i = int } } }\n"
              " " SRC("b", "i = int") " }\n"
                                      "sink { Console { source_table_name = new }\n Console { plugin_input = b } }"),
        0);
    CHECK_STR(f.plan.nodes[0]->common.output, "new");
    CHECK_STR(edges(&f.plan), "0>2 1>3");
    done(&f);
}

TEST(json_form)
{
    fixture f;
    REQUIRE_INT(build(&f, "{\"env\": {\"parallelism\": 4},\n"
                          " \"source\": [{\"plugin_name\": \"FakeSource\", \"plugin_output\": \"s\","
                          " \"schema\": {\"fields\": {\"id\": \"bigint\"}}}],\n"
                          " \"sink\": [{\"plugin_name\": \"console\", \"plugin_input\": \"s\"}]}"),
                0);
    CHECK_INT(f.plan.nsources, 1);
    CHECK_STR(f.plan.nodes[1]->plugin->name, "Console");
    CHECK_INT(f.plan.nodes[0]->parallelism, 4);
    done(&f);
}

TEST(duplicate_plugin_blocks_stay_separate)
{
    fixture f;
    REQUIRE_INT(build(&f, "source { " SRC("a", "i = int") " }\nsink {\n Console { plugin_input = a }\n"
                                                          " Console { plugin_input = a } }"),
                0);
    CHECK_INT(f.plan.nsinks, 2);
    CHECK_STR(f.plan.nodes[2]->label, "Console (sink #2)");
    done(&f);
}

static void expect_error(const char *text, int code, uint32_t line, uint32_t col, const char *msg)
{
    fixture f;
    unit_context("%s", text);
    CHECK_INT(build(&f, text), code);
    CHECK_UINT(f.err.line, line);
    CHECK_UINT(f.err.col, col);
    CHECK_CONTAINS(f.err.msg, msg);
    done(&f);
    unit_context_clear();
}

TEST(wiring_errors)
{
    expect_error("source {\n" SRC("a", "i = int") SRC("b", "i = int") "}\nsink { Console { plugin_input = [aa, b] } }",
                 CV_EPLAN, 5, 33,
                 "reads the stream \"aa\", but no source or transform produces it (did you mean \"a\"?)");
    expect_error("source {\n" SRC("a", "i = int") SRC("b", "i = int") "}\nsink { Console { plugin_input = a } }",
                 CV_EPLAN, 3, 30, "the stream \"b\" of FakeSource (source #2) is not read by any transform or sink");
    expect_error("source {\n" SRC("a", "i = int") SRC("a", "i = int") "}\nsink { Console { plugin_input = a } }",
                 CV_EPLAN, 3, 30, "both produce a stream named \"a\"");
    expect_error(
        "source {\n" SRC(
            "s", "i = int") "}\ntransform {\n"
                            "FieldMapper { plugin_input = [s, t2], plugin_output = t1, field_mapper = { i = i } }\n"
                            "FieldMapper { plugin_input = t1, plugin_output = t2, field_mapper = { i = i } }\n}\n"
                            "sink { Console { plugin_input = t2 } }",
        CV_EPLAN, 5, 1, "the transforms form a cycle");
    expect_error("source {\n" SRC("a", "i = int")
                     SRC("b", "i = bigint") "}\nsink { Console { plugin_input = [a, b] } }",
                 CV_EPLAN, 5, 8, "whose schemas differ: column \"i\" is bigint in b but int in a");
    expect_error("source {\n" SRC("a", "i = int") "}\nsink {\nConsol { }\n}", CV_ECONFIG, 5, 1,
                 "unknown sink plugin \"Consol\" (did you mean \"Console\"?)");
    expect_error("source {\n" SRC("a", "i = int") "}\n", CV_ECONFIG, 1, 1, "at least one source and one sink");
    expect_error("env { parallelism = 0 }\nsource {\n" SRC("a", "i = int") "}\nsink { Console {} }", CV_ECONFIG, 1, 21,
                 "option parallelism must be between 1 and 4096, but is 0");
    expect_error("source {\n" SRC("a", "i = int") "}\nsink { Console { log.print.data = maybe } }", CV_ECONFIG, 4, 35,
                 "option log.print.data expects true or false");
}

TEST(renderers)
{
    fixture f;
    REQUIRE_INT(build(&f, "source { " SRC("a", "id = int") " }\nsink { Console { } }"), 0);
    cv_buf b;
    cv_buf_init(&b);
    cv_plan_render_text(&f.plan, &b);
    CHECK_CONTAINS(b.data, "FakeSource (source #1) => a  x1");
    CHECK_CONTAINS(b.data, "`--> Console (sink #1)  x1");
    CHECK_CONTAINS(b.data, "table a (id int)");
    cv_buf_reset(&b);
    cv_plan_render_json(&f.plan, &b);
    CHECK_CONTAINS(b.data, "\"edges\":[[0,1]]");
    CHECK_CONTAINS(b.data, "\"columns\":[{\"name\":\"id\",\"type\":\"int\",\"nullable\":true}]");
    cv_buf_free(&b);
    done(&f);
}
