/* exec.c — executors: the per-thread state that runs a compiled query over
 * batches. WHERE runs first; the select list then runs over the kept rows
 * only (their columns compacted, so no expression computes or fails on a
 * dropped row), computed columns are written straight into the output
 * batch, and passed-through columns are gathered from the input. Also
 * constant folding for the binder and the failure messages that name the
 * query position and the row. */
#include "sql_int.h"

#include <string.h>

/* ---- executors ----------------------------------------------------------------------- */

static int exec_new(const cv_sql_query *q, cv_err *err, cv_sql_exec **out)
{
    cv_sql_exec *e = cv_calloc(1, sizeof *e);
    if (!e) return cv_err_set(err, CV_ENOMEM, "out of memory");
    e->q = q;
    uint32_t nn = q->nnodes ? q->nnodes : 1;
    e->cols = cv_calloc(nn, sizeof *e->cols);
    e->col_ready = cv_calloc(nn, sizeof *e->col_ready);
    e->nmasks = nn * 2;
    e->masks = cv_calloc(e->nmasks, sizeof *e->masks);
    if (!e->cols || !e->col_ready || !e->masks) {
        cv_sql_exec_free(e);
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    cv_buf_init(&e->x.scratch);
    e->x.err_row = -1;
    *out = e;
    return 0;
}

void cv_sql_exec_free(cv_sql_exec *e)
{
    if (!e) return;
    for (uint32_t i = 0; e->col_ready && i < e->q->nnodes; i++)
        if (e->col_ready[i]) cv_col_destroy(&e->cols[i]);
    for (uint32_t i = 0; e->masks && i < e->nmasks; i++) cv_free(e->masks[i]);
    cv_free(e->masks);
    cv_free(e->cols);
    cv_free(e->col_ready);
    cv_free(e->sel);
    cv_free(e->branch);
    cv_batch_free(e->kept);
    cv_buf_free(&e->x.scratch);
    cv_free(e);
}

int cv_sql_exec_new(const cv_sql_query *q, cv_sql_exec **out, cv_err *err) { return exec_new(q, err, out); }

int64_t cv__sql_now_us(void)
{
    int64_t utc = cv_wall_us();
    int32_t off = 0;
    return cv_local_offset_s(utc / 1000000, &off) ? utc + (int64_t)off * 1000000 : utc;
}

cv_col *cv__sql_konst_col(cv_arena *a, cv_sql_query *q, const cv_type *t)
{
    cv_col *c = cv_arena_zalloc(a, sizeof *c);
    if (!c) return NULL;
    if (cv_col_init(c, t->id == CV_T_NULL ? cv_type_prim(CV_T_STRING) : t) < 0) return NULL;
    cv_col **v = cv_arena_alloc(a, (q->nkonst + 1) * sizeof *v);
    if (!v) {
        cv_col_destroy(c);
        return NULL;
    }
    if (q->nkonst) memcpy(v, q->konst, q->nkonst * sizeof *v);
    v[q->nkonst++] = c;
    q->konst = v;
    return c;
}

int cv__sql_fold(cv_arena *a, cv_sql_query *q, sql_node *n, cv_err *err)
{
    cv_sql_exec *e = NULL;
    CV_TRY(exec_new(q, err, &e));
    e->x.n = 1;
    e->x.err = err;
    e->x.now_us = cv__sql_now_us();
    sql_vec v;
    int rc = cv__sql_eval(e, n, NULL, NULL, &v);
    if (rc == 0) {
        cv_col *k = cv__sql_konst_col(a, q, n->type);
        if (!k) {
            rc = cv_err_set(err, CV_ENOMEM, "out of memory");
        } else {
            cv_col_append_range(k, v.col, sql_ix(&v, 0), 1);
            n->konst = true;
            n->kval = k;
            n->nullable = cv_col_is_null(k, 0);
        }
    }
    cv_sql_exec_free(e);
    return rc;
}

/* Append the kept rows of src to dst: fixed-width values in one pass, runs
 * of other values in bulk. */
static void gather(cv_col *dst, const cv_col *src, const uint8_t *keep, uint32_t n, uint32_t nkeep)
{
    size_t w = cv_type_width(src->type->id);
    if (w && !src->validity && src->type->id != CV_T_NULL) {
        /* one spare slot: the branch-free loops store every row and step
         * only past the kept ones */
        uint8_t *o = cv_col_extend(dst, nkeep + 1);
        if (!o) return;
        dst->len--;
        const uint8_t *s = src->data;
        switch (w) {
        case 1:
            for (uint32_t i = 0; i < n; i++) *o = s[i], o += keep[i];
            return;
        case 4:
            for (uint32_t i = 0; i < n; i++) {
                memcpy(o, s + 4 * (size_t)i, 4);
                o += 4 * keep[i];
            }
            return;
        case 8:
            for (uint32_t i = 0; i < n; i++) {
                memcpy(o, s + 8 * (size_t)i, 8);
                o += 8 * keep[i];
            }
            return;
        default:
            for (uint32_t i = 0; i < n; i++)
                if (keep[i]) {
                    memcpy(o, s + w * i, w);
                    o += w;
                }
            return;
        }
    }
    if (src->type->id == CV_T_STRING || src->type->id == CV_T_BYTES) {
        for (uint32_t i = 0; i < n; i++) {
            if (!keep[i]) continue;
            if (cv_col_is_null(src, i)) {
                cv_col_append_null(dst);
                continue;
            }
            uint32_t len;
            const char *p = cv_col_str(src, i, &len);
            cv_col_append_str(dst, p, len);
        }
        return;
    }
    for (uint32_t i = 0; i < n;) {
        if (!keep[i]) {
            i++;
            continue;
        }
        uint32_t j = i;
        while (j < n && keep[j]) j++;
        cv_col_append_range(dst, src, i, j - i);
        i = j;
    }
}

/* Describe row r of in: "{id=1, name=x}". */
static void describe_row(const cv_batch *in, uint32_t r, cv_buf *out)
{
    cv_buf_putc(out, '{');
    for (uint32_t c = 0; c < in->ncols && out->len < 600; c++) {
        cv_buf_printf(out, "%s%s=", c ? ", " : "", in->table->cols[c].name);
        if (cv_col_is_null(&in->cols[c], r))
            cv_buf_puts(out, "NULL");
        else
            cv_value_format(&in->cols[c], r, CV_FMT_JAVA, out);
    }
    if (out->len >= 600) cv_buf_puts(out, ", …");
    cv_buf_putc(out, '}');
}

int cv_sql_exec_run(cv_sql_exec *e, const cv_batch *in, cv_batch *out, cv_err *err)
{
    const cv_sql_query *q = e->q;
    uint32_t n = in->nrows;
    if (n == 0) return 0;
    e->x.n = n;
    e->x.err = err;
    e->x.err_row = -1;
    e->x.active = NULL;
    if (q->volatile_now) e->x.now_us = cv__sql_now_us();
    int rc = 0;
    /* WHERE: which rows stay */
    const uint8_t *keep = NULL;
    uint32_t nkeep = n;
    if (q->where) {
        sql_vec w;
        rc = cv__sql_eval(e, q->where, in, NULL, &w);
        if (rc == 0) {
            if (e->sel_cap < n) {
                uint8_t *s = cv_realloc(e->sel, n);
                if (!s) return cv_err_set(err, CV_ENOMEM, "out of memory");
                e->sel = s;
                e->sel_cap = n;
            }
            nkeep = 0;
            for (uint32_t i = 0; i < n; i++) {
                e->sel[i] = !sql_null(&w, i) && sql_bool(&w, i);
                nkeep += e->sel[i];
            }
            keep = e->sel;
        }
    }
    if (rc == 0 && nkeep == 0) return 0;
    /* the select list runs over the kept rows only: compact the columns it
     * reads, so no expression computes (or fails on) a dropped row */
    const cv_batch *src = in;
    if (rc == 0 && keep && nkeep < n) {
        if (!e->kept && !(e->kept = cv_batch_new(in->table, n))) return cv_err_set(err, CV_ENOMEM, "out of memory");
        cv_batch_clear(e->kept);
        for (uint32_t c = 0; c < in->ncols; c++)
            if (q->uses[c]) gather(&e->kept->cols[c], &in->cols[c], keep, n, nkeep);
        if (e->kept->err) return cv_err_set(err, CV_ENOMEM, "out of memory");
        e->kept->nrows = nkeep;
        src = e->kept;
        e->x.n = nkeep;
    }
    for (uint32_t c = 0; rc == 0 && c < q->nouts; c++) {
        sql_vec v;
        if (q->outs[c]->kind == N_COL && src != in) {
            gather(&out->cols[c], &in->cols[q->outs[c]->col], keep, n, nkeep);
            continue;
        }
        cv_col *dst = &out->cols[c];
        /* computed columns are written straight into the output batch */
        rc = cv__sql_eval_into(e, q->outs[c], src, NULL, dst, &v);
        if (rc < 0) break;
        if (v.col == dst) continue;
        if (v.konst) {
            for (uint32_t i = 0; i < e->x.n; i++) cv_col_append_range(dst, v.col, 0, 1);
        } else {
            cv_col_append_range(dst, v.col, 0, e->x.n);
        }
    }
    if (rc < 0) {
        if (e->x.err_row >= 0 && (uint32_t)e->x.err_row < src->nrows) {
            /* back to the row's place in the input */
            uint32_t at = (uint32_t)e->x.err_row;
            if (src != in)
                for (uint32_t i = 0, seen = 0; i < n; i++)
                    if (keep[i] && seen++ == (uint32_t)e->x.err_row) {
                        at = i;
                        break;
                    }
            cv_buf row;
            cv_buf_init(&row);
            describe_row(in, at, &row);
            size_t len = strlen(err->msg);
            snprintf(err->msg + len, sizeof err->msg - len, "; the row: %s", row.data ? row.data : "{}");
            cv_buf_free(&row);
        }
        return rc;
    }
    /* the kinds of the kept rows, in runs */
    for (uint32_t i = 0; i < n;) {
        if (keep && !keep[i]) {
            i++;
            continue;
        }
        uint32_t j = i + 1;
        while (j < n && (!keep || keep[j]) && in->kinds[j] == in->kinds[i]) j++;
        cv_batch_end_rows(out, j - i, (cv_row_kind)in->kinds[i]);
        i = j;
    }
    return cv_batch_check(out, err);
}

/* ---- call failures --------------------------------------------------------------------- */

int cv__sql_fail(const sql_call *c, sql_ctx *x, uint32_t r, const char *fmt, ...)
{
    if (x->err->code) return x->err->code;
    char msg[CV_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    x->err_row = (int64_t)r;
    return cv_err_set(x->err, CV_EDATA, "query %u:%u: %s: %s", c->line, c->col, c->name, msg);
}

int cv__sql_bind_fail(const sql_call *c, cv_err *err, const char *fmt, ...)
{
    if (err->code) return err->code;
    char msg[CV_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cv_err_set(err, CV_ECONFIG, "query %u:%u: %s: %s", c->line, c->col, c->name, msg);
}
