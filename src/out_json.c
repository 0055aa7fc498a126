/* out_json.c - the report as one JSON object: findings, then matrix and other sections, then a summary. */
#include <stdlib.h>
#include <string.h>

#include "output.h"

static const char *fix_name(enum fix_safety f)
{
	return f == FIX_SAFE ? "safe" : f == FIX_UNSAFE ? "unsafe" : "none";
}

static void json_edits(struct json *j, const struct finding *f)
{
	JSON_KEY(j, "edits");
	json_arr(j);
	for (size_t i = 0; i < f->nedits; i++) {
		const struct edit *e = &f->edits[i];
		unsigned l, c;
		json_obj(j);
		JSON_KSTR(j, "file", e->file != NULL ? e->file->display : NULL);
		JSON_KINT(j, "start", (long long)e->start);
		JSON_KINT(j, "end", (long long)e->end);
		if (e->file != NULL) {
			src_pos(e->file, e->start, &l, &c);
			JSON_KINT(j, "line", l);
			JSON_KINT(j, "column", c);
			src_pos(e->file, e->end, &l, &c);
			JSON_KINT(j, "end_line", l);
			JSON_KINT(j, "end_column", c);
		}
		JSON_KSTR(j, "text", e->text);
		json_end_obj(j);
	}
	json_end_arr(j);
}

static void json_finding(struct json *j, const struct finding *f)
{
	json_obj(j);
	JSON_KSTR(j, "file", finding_path(f));
	JSON_KINT(j, "line", f->line);
	JSON_KINT(j, "column", f->col);
	JSON_KSTR(j, "severity", severity_name(f->severity));
	JSON_KSTR(j, "rule", f->rule != NULL ? f->rule->code : NULL);
	JSON_KSTR(j, "name", f->rule != NULL ? f->rule->name : NULL);
	JSON_KSTR(j, "section", f->section);
	JSON_KSTR(j, "parameter", f->parameter);
	JSON_KSTR(j, "spelled", f->spelled);
	JSON_KSTR(j, "message", f->message);
	JSON_KSTR(j, "note", f->note);
	JSON_KBOOL(j, "fixable", finding_fixable(f));
	JSON_KSTR(j, "fix_safety", f->nedits > 0 && f->rule != NULL ? fix_name(f->rule->fix) : NULL);
	if (f->nedits > 0)
		json_edits(j, f);
	json_end_obj(j);
}

static void json_matrix(struct json *j, const struct report *r)
{
	JSON_KEY(j, "matrix");
	json_arr(j);
	for (size_t i = 0; i < r->nmatrices; i++) {
		const struct matrix *m = &r->matrices[i];
		const char *file = m->cfg->nfiles ? m->cfg->files[0]->display : NULL;
		for (size_t k = 0; k < m->nshares * m->nprofiles; k++) {
			const struct matrix_cell *c = &m->cells[k];
			json_obj(j);
			JSON_KSTR(j, "file", file);
			JSON_KSTR(j, "share", c->share->name);
			JSON_KSTR(j, "client", c->profile->name);
			JSON_KSTR(j, "label", c->profile->label);
			JSON_KBOOL(j, "ok", c->verdict.ok);
			JSON_KBOOL(j, "guest_only", c->verdict.guest_only);
			JSON_KSTR(j, "reason", c->verdict.reason);
			JSON_KSTR(j, "windows_error", c->verdict.windows_error);
			JSON_KEY(j, "cause");
			if (c->verdict.cause != NULL && c->verdict.cause->file != NULL) {
				json_obj(j);
				JSON_KSTR(j, "file", c->verdict.cause->file->display);
				JSON_KINT(j, "line", c->verdict.cause->node->line);
				JSON_KSTR(j, "parameter", c->verdict.cause->name);
				json_end_obj(j);
			} else {
				json_null(j);
			}
			json_end_obj(j);
		}
	}
	json_end_arr(j);
}

void out_json_probe_fields(struct json *j, const struct probe_result *p)
{
	JSON_KSTR(j, "share", p->share);
	JSON_KSTR(j, "client", p->profile);
	JSON_KBOOL(j, "connected", p->connected);
	JSON_KSTR(j, "dialect", p->dialect[0] ? p->dialect : NULL);
	JSON_KBOOL(j, "guest", p->guest);
	JSON_KBOOL(j, "signed", p->signed_);
	JSON_KBOOL(j, "encrypted", p->encrypted);
	JSON_KINT(j, "ntstatus", p->ntstatus);
	JSON_KSTR(j, "status", p->status_name);
	JSON_KSTR(j, "windows_error", p->windows_error);
	JSON_KSTR(j, "note", p->note);
}

static void json_probe(struct json *j, const struct report *r)
{
	JSON_KEY(j, "probe");
	json_arr(j);
	for (size_t i = 0; i < r->nprobe; i++) {
		const struct probe_result *p = &r->probe[i];
		json_obj(j);
		JSON_KSTR(j, "target", r->probe_target);
		out_json_probe_fields(j, p);
		json_end_obj(j);
	}
	json_end_arr(j);
}

static void json_summary(struct json *j, const struct report *r, const struct out_opts *o)
{
	struct summary s;
	out_summary(r, o, &s);
	JSON_KEY(j, "summary");
	json_obj(j);
	JSON_KINT(j, "errors", (long long)s.count[SEV_ERROR]);
	JSON_KINT(j, "warnings", (long long)s.count[SEV_WARNING]);
	JSON_KINT(j, "infos", (long long)s.count[SEV_INFO]);
	JSON_KINT(j, "fixable", (long long)s.fixable);
	JSON_KINT(j, "unsafe_fixable", (long long)s.unsafe_fixable);
	JSON_KINT(j, "suppressed", (long long)s.suppressed);
	JSON_KINT(j, "files", (long long)s.files);
	json_end_obj(j);
}

void out_json(const struct report *r, const struct out_opts *o)
{
	struct json j;
	char *ver = samba_ver_str(r->samba);

	json_init(&j, o->out, true);
	json_obj(&j);
	JSON_KSTR(&j, "tool", "smblint");
	JSON_KSTR(&j, "version", SMBLINT_VERSION);
	JSON_KSTR(&j, "samba_version", ver);
	JSON_KEY(&j, "clients");
	json_arr(&j);
	for (size_t i = 0; i < client_profile_count; i++)
		if (client_profiles[i].bit & r->clients)
			json_str(&j, client_profiles[i].name);
	json_end_arr(&j);
	JSON_KEY(&j, "files");
	json_arr(&j);
	for (size_t i = 0; i < r->nlints; i++)
		json_str(&j, r->lints[i]->cfg != NULL && r->lints[i]->cfg->nfiles ?
		    r->lints[i]->cfg->files[0]->display : NULL);
	json_end_arr(&j);
	JSON_KEY(&j, "findings");
	json_arr(&j);
	for (size_t i = 0; i < r->nlints; i++)
		for (size_t k = 0; k < r->lints[i]->n; k++)
			if (out_shown(o, &r->lints[i]->findings[k]))
				json_finding(&j, &r->lints[i]->findings[k]);
	json_end_arr(&j);
	if (r->nmatrices > 0 && !o->quiet)
		json_matrix(&j, r);
	if (r->probe != NULL && !o->quiet)
		json_probe(&j, r);
	for (size_t i = 0; i < r->nextras; i++)
		if (r->extras[i].json != NULL) {
			json_key(&j, r->extras[i].key);
			r->extras[i].json(&j, r->extras[i].ctx);
		}
	json_summary(&j, r, o);
	json_end_obj(&j);
	json_done(&j);
	free(ver);
}
