/* inbox.c — the bounded queue in front of a sink writer. Each producer has
 * its own channel so that barriers can be aligned: after a channel delivers
 * a barrier it is blocked until every live channel has delivered the same
 * barrier. Data waits for room (backpressure); control messages never do,
 * so a full queue cannot stall a barrier or end-of-stream. */
#include "engine_int.h"

#include <string.h>

int cv__inbox_init(cv_inbox *ib, uint32_t nch, uint32_t data_cap)
{
    memset(ib, 0, sizeof *ib);
    ib->ch = cv_calloc(nch ? nch : 1, sizeof *ib->ch);
    if (!ib->ch) return CV_ENOMEM;
    ib->nch = nch;
    ib->data_cap = data_cap ? data_cap : 8;
    /* rings are sized once: data_cap batches plus room for the control
     * messages that can be outstanding (a barrier and an end-of-stream), so
     * pushing never allocates and cannot fail for lack of memory */
    for (uint32_t c = 0; c < nch; c++) {
        ib->ch[c].cap = ib->data_cap + CV_INBOX_CONTROL_SLOTS;
        ib->ch[c].ring = cv_malloc(ib->ch[c].cap * sizeof *ib->ch[c].ring);
        if (!ib->ch[c].ring) {
            for (uint32_t k = 0; k < c; k++) cv_free(ib->ch[k].ring);
            cv_free(ib->ch);
            ib->ch = NULL;
            return CV_ENOMEM;
        }
    }
    pthread_mutex_init(&ib->mu, NULL);
    pthread_cond_init(&ib->readable, NULL);
    pthread_cond_init(&ib->writable, NULL);
    return 0;
}

void cv__inbox_destroy(cv_inbox *ib)
{
    if (!ib->ch) return;
    for (uint32_t c = 0; c < ib->nch; c++) {
        cv_chan *ch = &ib->ch[c];
        for (uint32_t i = 0; i < ch->len; i++) {
            cv_msg *m = &ch->ring[(ch->head + i) % ch->cap];
            if (m->kind == CV_MSG_DATA) cv_batch_free(m->batch);
        }
        cv_free(ch->ring);
    }
    cv_free(ib->ch);
    ib->ch = NULL;
    pthread_mutex_destroy(&ib->mu);
    pthread_cond_destroy(&ib->readable);
    pthread_cond_destroy(&ib->writable);
}

static int chan_put(cv_chan *ch, cv_msg m)
{
    if (ch->len == ch->cap) return CV_EINTERNAL; /* more control messages than the protocol allows */
    ch->ring[(ch->head + ch->len) % ch->cap] = m;
    ch->len++;
    if (m.kind == CV_MSG_DATA) ch->data++;
    return 0;
}

int cv__inbox_push(cv_inbox *ib, uint32_t c, cv_msg m)
{
    pthread_mutex_lock(&ib->mu);
    cv_chan *ch = &ib->ch[c];
    if (m.kind == CV_MSG_DATA)
        while (!ib->closed && ch->data >= ib->data_cap) pthread_cond_wait(&ib->writable, &ib->mu);
    int rc = ib->closed ? CV_ECANCELLED : chan_put(ch, m);
    if (rc == 0) pthread_cond_signal(&ib->readable);
    pthread_mutex_unlock(&ib->mu);
    return rc;
}

int cv__inbox_pop(cv_inbox *ib, cv_msg *m, uint32_t *from)
{
    pthread_mutex_lock(&ib->mu);
    for (;;) {
        if (ib->closed) {
            pthread_mutex_unlock(&ib->mu);
            return CV_ECANCELLED;
        }
        for (uint32_t k = 0; k < ib->nch; k++) {
            uint32_t c = (ib->rr + k) % ib->nch;
            cv_chan *ch = &ib->ch[c];
            if (ch->blocked || ch->len == 0) continue;
            *m = ch->ring[ch->head];
            ch->head = (ch->head + 1) % ch->cap;
            ch->len--;
            if (m->kind == CV_MSG_DATA) {
                ch->data--;
                pthread_cond_broadcast(&ib->writable);
            }
            ib->rr = (c + 1) % ib->nch;
            *from = c;
            pthread_mutex_unlock(&ib->mu);
            return 0;
        }
        pthread_cond_wait(&ib->readable, &ib->mu);
    }
}

void cv__inbox_block(cv_inbox *ib, uint32_t c)
{
    pthread_mutex_lock(&ib->mu);
    ib->ch[c].blocked = true;
    pthread_mutex_unlock(&ib->mu);
}

void cv__inbox_unblock_all(cv_inbox *ib)
{
    pthread_mutex_lock(&ib->mu);
    for (uint32_t c = 0; c < ib->nch; c++) ib->ch[c].blocked = false;
    pthread_cond_broadcast(&ib->readable);
    pthread_mutex_unlock(&ib->mu);
}

void cv__inbox_close(cv_inbox *ib)
{
    if (!ib->ch) return;
    pthread_mutex_lock(&ib->mu);
    ib->closed = true;
    pthread_cond_broadcast(&ib->readable);
    pthread_cond_broadcast(&ib->writable);
    pthread_mutex_unlock(&ib->mu);
}
