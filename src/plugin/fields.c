/* fields.c — what the field-level transforms share: looking a configured
 * field up in a table (an error at the option's position with a "did you
 * mean"), and the output layout of transforms that add or overwrite
 * columns (SeaTunnel's SingleFieldOutputTransform and
 * MultipleFieldOutputTransform): a new column whose name already exists
 * takes that column's place and type, the others are appended in order.
 * Batches are then assembled column by column: kept input columns are
 * copied in bulk, computed ones come from the transform's scratch columns. */
#include "plugin.h"

#include <string.h>

int cv_table_col_at(const cv_table *t, const char *name, const cv_pos *pos, const char *what, cv_err *err)
{
    int c = cv_table_find_col(t, name);
    if (c >= 0) return c;
    const char *names[256];
    uint32_t k;
    for (k = 0; k < t->ncols && k < 256; k++) names[k] = t->cols[k].name;
    const char *dym = cv_did_you_mean(name, names, k);
    return cv_err_at(err, CV_ECONFIG, pos, "%s: %s has no field \"%s\"%s%s%s", what, t->full_name, name,
                     dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "");
}

int cv_colplan_build(cv_arena *a, const cv_table *in, const cv_column *add, uint32_t nadd, cv_colplan *out, cv_err *err)
{
    uint32_t cap = in->ncols + nadd;
    cv_column *cols = cv_arena_alloc(a, (cap ? cap : 1) * sizeof *cols);
    out->src = cv_arena_alloc(a, (cap ? cap : 1) * sizeof *out->src);
    out->slot = cv_arena_alloc(a, (nadd ? nadd : 1) * sizeof *out->slot);
    if (!cols || !out->src || !out->slot) return cv_err_set(err, CV_ENOMEM, "out of memory");
    uint32_t n = in->ncols;
    memcpy(cols, in->cols, n * sizeof *cols);
    for (uint32_t i = 0; i < n; i++) out->src[i] = (int32_t)i;
    for (uint32_t j = 0; j < nadd; j++) {
        for (uint32_t k = 0; k < j; k++)
            if (strcmp(add[k].name, add[j].name) == 0)
                return cv_err_set(err, CV_ECONFIG, "two output fields are named \"%s\"", add[j].name);
        uint32_t at = n;
        for (uint32_t i = 0; i < n; i++)
            if (strcmp(cols[i].name, add[j].name) == 0) at = i;
        if (at == n) {
            cols[n++] = add[j];
        } else {
            cols[at].type = add[j].type; /* overwritten in place: the column keeps its other attributes */
        }
        out->src[at] = -1;
        out->slot[j] = at;
    }
    out->ncols = n;
    out->nadd = nadd;
    cv_table *t;
    CV_TRY(cv_table_derive(a, in, cols, n, &t, err));
    out->out = t;
    return 0;
}

void cv_colplan_append(const cv_colplan *p, cv_batch *b, const cv_batch *in, uint32_t from, const cv_col *const *add,
                       uint32_t afrom, uint32_t n)
{
    if (n == 0) return;
    for (uint32_t i = 0; i < p->ncols; i++)
        if (p->src[i] >= 0) cv_col_append_range(&b->cols[i], &in->cols[p->src[i]], from, n);
    for (uint32_t j = 0; j < p->nadd; j++) cv_col_append_range(&b->cols[p->slot[j]], add[j], afrom, n);
    for (uint32_t r = 0; r < n; r++) cv_batch_end_row(b, (cv_row_kind)in->kinds[from + r]);
}
