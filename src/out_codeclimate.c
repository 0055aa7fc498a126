/* out_codeclimate.c - GitLab's Code Quality report: a JSON array of Code Climate issues. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

/* GitLab shows info, minor, major, critical and blocker. */
static const char *cc_severity(enum severity s)
{
	return s == SEV_ERROR ? "critical" : s == SEV_WARNING ? "major" : "info";
}

/* The Code Climate category of a rule family (the first digit of its code). */
static const char *cc_category(const struct rule *r)
{
	if (r == NULL || strlen(r->code) < 3)
		return "Bug Risk";
	switch (r->code[2]) {
	case '2': return "Compatibility";
	case '3': return "Security";
	case '9': return "Style";
	default: return "Bug Risk";
	}
}

/*
 * The path as given, without leading "./": GitLab matches location.path
 * against the repository's file names.
 */
static const char *cc_path(const struct finding *f)
{
	const char *p = finding_path(f);
	while (p[0] == '.' && p[1] == '/') {
		p += 2;
		while (*p == '/')
			p++;
	}
	return *p != '\0' ? p : finding_path(f);
}

/* 64-bit FNV-1a, fed field by field; a NUL separates fields and NULL differs from "". */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= FNV_PRIME;
	}
	return h;
}

static uint64_t fnv_field(uint64_t h, const char *s)
{
	static const unsigned char absent = 0x01, end = 0x00;
	if (s == NULL)
		return fnv_bytes(fnv_bytes(h, &absent, 1), &end, 1);
	return fnv_bytes(fnv_bytes(h, s, strlen(s)), &end, 1);
}

/*
 * What identifies an issue across edits: file, rule, section, parameter and
 * message, but not the line, so moving a block does not make GitLab report
 * it as fixed and new.  Findings alike in all of these (the same mistake
 * twice in one section) are told apart by their order of occurrence.
 */
static uint64_t cc_key(const struct finding *f)
{
	uint64_t h = FNV_OFFSET;
	h = fnv_field(h, cc_path(f));
	h = fnv_field(h, f->rule != NULL ? f->rule->code : NULL);
	h = fnv_field(h, f->section);
	h = fnv_field(h, f->parameter);
	h = fnv_field(h, f->message);
	return h;
}

static void cc_fingerprint(char out[33], uint64_t key, unsigned occurrence)
{
	/* Two differently seeded hashes of the key and occurrence: 128 bits in hex, as GitLab's own tools write. */
	unsigned char buf[12];
	for (int i = 0; i < 8; i++)
		buf[i] = (unsigned char)(key >> (8 * i));
	for (int i = 0; i < 4; i++)
		buf[8 + i] = (unsigned char)(occurrence >> (8 * i));
	static const char hex[] = "0123456789abcdef";
	uint64_t a = fnv_bytes(FNV_OFFSET, buf, sizeof buf);
	uint64_t b = fnv_bytes(fnv_bytes(FNV_OFFSET, "smblint", 7), buf, sizeof buf);
	for (int i = 0; i < 16; i++) {
		out[i] = hex[(a >> (60 - 4 * i)) & 15];
		out[16 + i] = hex[(b >> (60 - 4 * i)) & 15];
	}
	out[32] = '\0';
}

static void cc_issue(struct json *j, const struct finding *f, const char *fingerprint)
{
	json_obj(j);
	JSON_KSTR(j, "type", "issue");
	if (f->rule != NULL) {
		JSON_KEY(j, "check_name");
		json_str3(j, f->rule->code, " ", f->rule->name);
	} else {
		JSON_KSTR(j, "check_name", "smblint");
	}
	JSON_KSTR(j, "description", f->message);
	if (f->note != NULL) {
		JSON_KEY(j, "content");
		json_obj(j);
		JSON_KSTR(j, "body", f->note);
		json_end_obj(j);
	}
	JSON_KEY(j, "categories");
	json_arr(j);
	json_str(j, cc_category(f->rule));
	json_end_arr(j);
	JSON_KSTR(j, "fingerprint", fingerprint);
	JSON_KSTR(j, "severity", cc_severity(f->severity));
	JSON_KEY(j, "location");
	json_obj(j);
	JSON_KSTR(j, "path", cc_path(f));
	JSON_KEY(j, "lines");
	json_obj(j);
	JSON_KINT(j, "begin", f->line > 0 ? f->line : 1);
	json_end_obj(j);
	json_end_obj(j);
	json_end_obj(j);
}

/* How often each key was seen: open addressing, the table at most half full. */
struct cc_seen {
	struct cc_slot { uint64_t key; unsigned count; bool used; } *slots;
	size_t cap, n;
};

static unsigned cc_seen_bump(struct cc_seen *t, uint64_t key)
{
	if (2 * (t->n + 1) > t->cap) {
		struct cc_seen bigger = {xcalloc(t->cap ? 2 * t->cap : 64, sizeof *t->slots),
		    t->cap ? 2 * t->cap : 64, 0};
		for (size_t i = 0; i < t->cap; i++)
			if (t->slots[i].used) {
				size_t m = bigger.cap - 1, p = (size_t)(t->slots[i].key & m);
				while (bigger.slots[p].used)
					p = (p + 1) & m;
				bigger.slots[p] = t->slots[i];
				bigger.n++;
			}
		free(t->slots);
		*t = bigger;
	}
	size_t m = t->cap - 1, p = (size_t)(key & m);
	while (t->slots[p].used && t->slots[p].key != key)
		p = (p + 1) & m;
	if (!t->slots[p].used) {
		t->slots[p].used = true;
		t->slots[p].key = key;
		t->n++;
	}
	return t->slots[p].count++;
}

void out_codeclimate(const struct report *r, const struct out_opts *o)
{
	struct json j;
	struct cc_seen seen = {0};

	json_init(&j, o->out, true);
	json_arr(&j);
	for (size_t i = 0; i < r->nlints; i++)
		for (size_t k = 0; k < r->lints[i]->n; k++) {
			const struct finding *f = &r->lints[i]->findings[k];
			char fp[33];
			uint64_t key;

			if (!out_shown(o, f))
				continue;
			key = cc_key(f);
			cc_fingerprint(fp, key, cc_seen_bump(&seen, key));
			cc_issue(&j, f, fp);
		}
	json_end_arr(&j);
	json_done(&j);
	free(seen.slots);
}
