/* vigie-index: builds, updates and queries a Vigie index from the command
 * line. Messages are in French, for the operators and jurists who use it. */
#include "notecheck.h"
#include "strbuf.h"
#include "child.h"
#include "indexer.h"
#include "lexicon.h"
#include "repo_git.h"
#include "template.h"
#include "text.h"
#include "search.h"
#include "veille.h"
#include "document.h"
#include "status.h"
#include "store.h"
#include "timeline.h"

#include <getopt.h>
#include <sys/wait.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXIT_USAGE 2
#define EXIT_LOCKED 75 /* EX_TEMPFAIL: try again later */

static const char *prog = "vigie-index";

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage : %s COMMANDE [OPTIONS]\n"
	        "\n"
	        "Commandes :\n"
	        "  update   met l'index à jour (complet la première fois, puis seulement ce qui a changé)\n"
	        "  rebuild  reconstruit l'index de zéro, sans interrompre les recherches\n"
	        "  status   état de l'index : commit indexé, nombres de documents, taille, problèmes\n"
	        "  verify   vérifie chaque table de l'index (comme xapian-check)\n"
	        "  search   recherche dans l'index\n"
	        "  veille   notes à revoir : les articles qu'elles citent ont changé depuis\n"
	        "  check    vérifie les en-têtes des notes selon .vigie/schema.yml\n"
	        "  init-repo crée un dépôt documentaire à partir du modèle\n"
	        "\n"
	        "« %s COMMANDE --help » détaille les options d'une commande.\n",
	        prog, prog);
}

static void usage_update(FILE *f, const char *cmd)
{
	fprintf(f,
	        "Usage : %s %s --repo DÉPÔT --db INDEX [OPTIONS]\n"
	        "\n"
	        "  --repo DÉPÔT      dépôt git (nu ou non) de la documentation\n"
	        "  --db INDEX        dossier de l'index (créé au besoin)\n"
	        "  --ref BRANCHE     branche à indexer (par défaut : HEAD)\n"
	        "  --head-only       à la première indexation, n'indexer que l'état actuel, sans l'historique\n"
	        "  --max-size OCTETS taille maximale d'un fichier indexé (par défaut : 10 Mio)\n"
	        "  --threads N       fils d'analyse (par défaut : un par cœur, moins un pour l'écriture)\n"
	        "  --batch N         versions par transaction (par défaut : 500)\n"
	        "  --wait            attendre la fin d'une autre mise à jour au lieu d'échouer\n"
	        "  --quiet           ne pas lister les fichiers non indexés\n"
	        "  -h, --help        cette aide\n",
	        prog, cmd);
}

static void usage_search(FILE *f)
{
	fprintf(f,
	        "Usage : %s search --db INDEX [OPTIONS] REQUÊTE\n"
	        "\n"
	        "  --db INDEX              dossier de l'index\n"
	        "  --as-of DATE|COMMIT     chercher dans le dépôt tel qu'il était à cette date (AAAA-MM-JJ)\n"
	        "                          ou à ce commit\n"
	        "  --filter CHAMP=VALEUR   filtrer (domaine, type, academie, annee, statut, format, ref,\n"
	        "                          dossier : les documents sous ce dossier) ; répétable : valeurs\n"
	        "                          d'un même champ en OU, champs différents en ET\n"
	        "  --sort relevance|date   ordre des résultats (par défaut : pertinence)\n"
	        "  --offset N, --limit N   pagination (par défaut : 0 et 10, au plus 100)\n"
	        "  --like CHEMIN           documents semblables à ce document\n"
	        "  --verbatim              chercher les mots tels quels, sans corriger les fautes de frappe\n"
	        "  --json                  résultat en JSON\n"
	        "  -h, --help              cette aide\n"
	        "\n"
	        "Syntaxe : mots (les documents qui les contiennent tous d'abord, puis les plus proches, les mots\n"
	        "rares comptant davantage), \"expression exacte\", +mot (requis), -mot, préfixe*, ET / OU / SAUF (tous les mots\n"
	        "requis, sauf OU), AND / OR / NOT,\n"
	        "titre:, auteur:, motcle:, chemin:, domaine:, type:, academie:, statut:, annee:, ref:R421-58,\n"
	        "date:2023-01-01..2023-12-31. Les références (« article R. 421-58 », « décret n° 2012-1246 »)\n"
	        "sont reconnues sous toutes leurs graphies.\n",
	        prog);
}

static int exit_code(const vg_err *err)
{
	return err->code == VG_ELOCKED ? EXIT_LOCKED : EXIT_FAILURE;
}

static void fail(const vg_err *err)
{
	fprintf(stderr, "%s : erreur : %s\n", prog, err->msg);
}

typedef struct report_ctx {
	int quiet;
	size_t count;
} report_ctx;

static void report(void *ctx, const char *commit_hex, const char *message)
{
	report_ctx *r = ctx;
	r->count++;
	if (!r->quiet) {
		if (commit_hex && *commit_hex)
			fprintf(stderr, "attention : %s (commit %.10s)\n", message, commit_hex);
		else
			fprintf(stderr, "attention : %s\n", message);
	}
}


static int cmd_update(int argc, char **argv, int rebuild)
{
	static const struct option opts[] = {
		{"repo", required_argument, NULL, 'r'},   {"db", required_argument, NULL, 'd'},
		{"ref", required_argument, NULL, 'b'},    {"head-only", no_argument, NULL, 'H'},
		{"max-size", required_argument, NULL, 'm'}, {"threads", required_argument, NULL, 't'},
		{"batch", required_argument, NULL, 'B'},  {"wait", no_argument, NULL, 'w'},
		{"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	vg_index_opts o;
	report_ctx rc_ctx = {0, 0};
	memset(&o, 0, sizeof(o));
	o.report = report;
	o.report_ctx = &rc_ctx;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': o.repo = optarg; break;
		case 'd': o.index = optarg; break;
		case 'b': o.ref = optarg; break;
		case 'H': o.head_only = 1; break;
		case 'w': o.wait = 1; break;
		case 'q': rc_ctx.quiet = 1; break;
		case 't': o.threads = atoi(optarg); break;
		case 'B': o.batch = (size_t)strtoul(optarg, NULL, 10); break;
		case 'm': {
			unsigned long long size = 0;
			if (vg_text_parse_size(optarg, SIZE_MAX, &size) < 0 || (o.max_size = (size_t)size) == 0) {
				fprintf(stderr, "%s : --max-size : taille invalide « %s »\n", prog, optarg);
				return EXIT_USAGE;
			}
			break;
		}
		case 'h': usage_update(stdout, argv[0]); return EXIT_SUCCESS;
		default: usage_update(stderr, argv[0]); return EXIT_USAGE;
		}
	}
	if (!o.repo || !o.index || optind != argc) {
		fprintf(stderr, "%s : --repo et --db sont requis\n", prog);
		usage_update(stderr, argv[0]);
		return EXIT_USAGE;
	}
	vg_index_stats st;
	vg_err err;
	vg_err_clear(&err);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = rebuild ? vg_index_rebuild(&o, &st, &err) : vg_index_update(&o, &st, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc < 0) {
		fail(&err);
		return exit_code(&err);
	}
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (st.up_to_date)
		printf("index à jour au commit %.10s\n", st.head);
	else
		printf("%s au commit %.10s : %zu commit(s), %zu version(s) ajoutée(s), %zu remplacée(s) "
		       "ou supprimée(s), %zu fichier(s) signalé(s) en %.3f s\n",
		       rebuild || st.rewritten || st.reformatted ? "index reconstruit" : st.full ? "index créé" : "index mis à jour",
		       st.head, st.commits, st.added, st.closed, st.problems, secs);
	return EXIT_SUCCESS;
}

/* Every table of the index checked; exit 1 when it is damaged (then
 * rebuild it from git). */
static int cmd_verify(int argc, char **argv)
{
	const char *db = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("Usage : %s verify --db INDEX\n", prog);
			return EXIT_SUCCESS;
		} else {
			fprintf(stderr, "%s : argument inattendu « %s »\n", prog, argv[i]);
			return EXIT_USAGE;
		}
	}
	if (!db) {
		fprintf(stderr, "%s : --db est requis\n", prog);
		return EXIT_USAGE;
	}
	size_t errors = 0;
	char *report = NULL;
	vg_err err;
	if (vg_store_verify(db, &errors, &report, &err) < 0) {
		fail(&err);
		return exit_code(&err);
	}
	if (errors) {
		printf("index endommagé : %zu erreur(s). Reconstruisez-le depuis le dépôt git : %s rebuild --repo DÉPÔT "
		       "--db %s\n\nDétail (Xapian) :\n%s",
		       errors, prog, db, report ? report : "");
	} else {
		printf("index sain : toutes les tables sont cohérentes.\n");
	}
	free(report);
	return errors ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                      {"json", no_argument, NULL, 'j'},
	                                      {"help", no_argument, NULL, 'h'},
	                                      {NULL, 0, NULL, 0}};
	const char *db = NULL;
	int as_json = 0, c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'j': as_json = 1; break;
		case 'h':
			printf("Usage : %s status --db INDEX [--json]\n", prog);
			return EXIT_SUCCESS;
		default: return EXIT_USAGE;
		}
	}
	if (!db) {
		fprintf(stderr, "%s : --db est requis\n", prog);
		return EXIT_USAGE;
	}
	vg_status st;
	vg_err err;
	if (vg_status_read(&st, db, &err) < 0) {
		fail(&err);
		return exit_code(&err);
	}
	char from[11] = "-", day[11] = "-";
	if (st.dated) {
		vg_format_date((int64_t)st.commit_time, day);
		vg_format_date((int64_t)st.history_from, from);
	}
	if (as_json) {
		json_t *problems = json_array();
		for (size_t i = 0; problems && i < st.n_problems; i++) {
			const vg_status_problem *p = &st.problems[i];
			json_t *messages = json_array();
			for (size_t k = 0; messages && k < p->messages.count; k++)
				json_array_append_new(messages, json_string(p->messages.items[k]));
			json_array_append_new(problems, json_pack("{s:s, s:s, s:o}", "path", p->path, "commit", p->commit,
			                                          "messages", messages));
		}
		json_t *o = json_pack("{s:s?, s:s?, s:o, s:s?, s:o, s:s?, s:I, s:I, s:I, s:I, s:o}", "commit", st.commit,
		                      "branch", st.branch, "updated", st.updated ? json_integer(st.updated) : json_null(),
		                      "commit_date", st.dated ? day : NULL, "age_seconds",
		                      st.dated ? json_integer((json_int_t)(time(NULL) - st.commit_time)) : json_null(),
		                      "history_from", st.dated ? from : NULL, "commits", (json_int_t)st.commits, "versions",
		                      (json_int_t)st.versions, "documents", (json_int_t)st.documents, "size_bytes",
		                      (json_int_t)st.size_bytes, "problems", problems);
		if (!o) {
			vg_status_clear(&st);
			fprintf(stderr, "%s : mémoire insuffisante\n", prog);
			return EXIT_FAILURE;
		}
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		printf("commit indexé  : %s (%s)\n", st.commit ? st.commit : "aucun", day);
		printf("branche        : %s\n", st.branch ? st.branch : "-");
		printf("historique     : depuis le %s, %lld commit(s)\n", from, st.commits);
		printf("documents      : %u actuels, %u versions en tout\n", st.documents, st.versions);
		printf("taille         : %.1f Mio\n", (double)st.size_bytes / 1048576.0);
		if (st.updated) {
			time_t t = (time_t)st.updated;
			char buf[64];
			strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", gmtime(&t));
			printf("mis à jour le  : %s\n", buf);
		}
		printf("fichiers signalés : %zu\n", st.n_problems);
		for (size_t i = 0; i < st.n_problems; i++)
			for (size_t k = 0; k < st.problems[i].messages.count; k++)
				printf("  %s\n", st.problems[i].messages.items[k]);
	}
	vg_status_clear(&st);
	return EXIT_SUCCESS;
}

/* n as French writes it, thousands apart: "12 345" (a narrow no-break
 * space). */
static const char *fr_number(long long n, char out[40])
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%lld", n < 0 ? -n : n), o = 0;
	if (n < 0)
		out[o++] = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0) {
			memcpy(out + o, "\xe2\x80\xaf", 3);
			o += 3;
		}
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

/* Bold only for a terminal, and never with NO_COLOR (no-color.org). */
static int use_colour(void)
{
	const char *no = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(no && *no);
}

/* Terminal rendering of a snippet: marks in bold (on a terminal),
 * entities decoded. */
static void print_snippet(const char *s)
{
	int bold = use_colour();
	static const struct {
		const char *from, *to, *plain;
	} map[] = {{"<mark>", "\033[1m", ""}, {"</mark>", "\033[0m", ""}, {"&amp;", "&", "&"}, {"&lt;", "<", "<"},
	           {"&gt;", ">", ">"},         {"&quot;", "\"", "\""},       {"&#39;", "'", "'"}};
	while (*s) {
		size_t k;
		for (k = 0; k < sizeof(map) / sizeof(map[0]); k++) {
			size_t n = strlen(map[k].from);
			if (strncmp(s, map[k].from, n) == 0) {
				fputs(bold ? map[k].to : map[k].plain, stdout);
				s += n;
				break;
			}
		}
		if (k == sizeof(map) / sizeof(map[0]))
			putchar(*s == '\n' ? ' ' : *s), s++;
	}
}

static void print_results(const vg_results *r)
{
	char num[40];
	printf("%s résultat(s) pour « %s »", fr_number((long long)r->total, num), r->query);
	if (r->as_of)
		printf(" au %s", r->as_of);
	putchar('\n');
	if (r->corrected)
		printf("Résultats pour « %s » (--verbatim pour chercher les mots tels quels)\n", r->corrected);
	if (r->suggestion)
		printf("Vouliez-vous dire : %s\n", r->suggestion);
	if (r->partial)
		printf("Recherche très large : le nombre de résultats et les filtres sont des estimations.\n");
	if (!r->all_words) {
		printf("Aucun document ne contient tous les mots ; voici les plus proches");
		for (size_t k = 0; k < r->missing_words.count; k++)
			printf("%s« %s »", k ? ", " : " (introuvables : ", r->missing_words.items[k]);
		printf("%s\n", r->missing_words.count ? ")" : "");
	}
	for (size_t i = 0; i < r->n_hits; i++) {
		const vg_hit *h = &r->hits[i];
		printf("%3llu. %s  [%d %%]\n     %s · %s · %s\n     ", (unsigned long long)r->offset + i + 1,
		       h->title ? h->title : "", h->score, h->path ? h->path : "", h->date ? h->date : "-",
		       h->domaine ? h->domaine : "-");
		print_snippet(h->snippet);
		putchar('\n');
	}
	for (size_t f = 0; f < r->n_facets; f++) {
		if (r->facets[f].n == 0)
			continue;
		printf("%s :", r->facets[f].name);
		for (size_t k = 0; k < r->facets[f].n; k++)
			printf(" %s (%s)", r->facets[f].values[k].value, fr_number((long long)r->facets[f].values[k].count, num));
		putchar('\n');
	}
}

static int cmd_search(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},    {"as-of", required_argument, NULL, 'a'},
		{"filter", required_argument, NULL, 'f'}, {"sort", required_argument, NULL, 's'},
		{"offset", required_argument, NULL, 'o'}, {"limit", required_argument, NULL, 'l'},
		{"like", required_argument, NULL, 'k'},  {"json", no_argument, NULL, 'j'},
		{"verbatim", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
	const char *db = NULL;
	const char *filters[64];
	vg_search_req req;
	int as_json = 0, c;
	memset(&req, 0, sizeof(req));
	req.filters = filters;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'a': req.as_of = optarg; break;
		case 'f':
			if (req.n_filters == sizeof(filters) / sizeof(filters[0])) {
				fprintf(stderr, "%s : trop de filtres\n", prog);
				return EXIT_USAGE;
			}
			filters[req.n_filters++] = optarg;
			break;
		case 's':
			if (strcmp(optarg, "date") == 0)
				req.sort_by_date = 1;
			else if (strcmp(optarg, "relevance") != 0 && strcmp(optarg, "pertinence") != 0) {
				fprintf(stderr, "%s : --sort : « relevance » ou « date » attendu\n", prog);
				return EXIT_USAGE;
			}
			break;
		case 'o': req.offset = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'l': req.limit = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'k': req.like = optarg; break;
		case 'j': as_json = 1; break;
		case 'V': req.verbatim = 1; break;
		case 'h': usage_search(stdout); return EXIT_SUCCESS;
		default: usage_search(stderr); return EXIT_USAGE;
		}
	}
	if (!db || (optind >= argc && !req.like && req.n_filters == 0)) {
		fprintf(stderr, "%s : --db et une requête sont requis\n", prog);
		usage_search(stderr);
		return EXIT_USAGE;
	}
	/* The words of the query may come as several arguments. */
	char query[4096] = "";
	size_t used = 0;
	for (int i = optind; i < argc; i++) {
		int n = snprintf(query + used, sizeof(query) - used, "%s%s", used ? " " : "", argv[i]);
		if (n < 0 || (size_t)n >= sizeof(query) - used) {
			fprintf(stderr, "%s : requête trop longue\n", prog);
			return EXIT_USAGE;
		}
		used += (size_t)n;
	}
	req.query = query;
	vg_searcher *s = NULL;
	vg_err err;
	vg_results res;
	vg_lexicon *lexicon = NULL;
	int rc = vg_lexicon_new(&lexicon, NULL, NULL, &err);
	if (rc == 0)
		rc = vg_searcher_open(&s, db, &err);
	if (rc == 0)
		vg_searcher_use_lexicon(s, lexicon);
	if (rc == 0)
		rc = vg_search_run(&res, s, &req, &err);
	vg_searcher_free(s);
	vg_lexicon_free(lexicon);
	if (rc < 0) {
		if (as_json) {
			json_t *e = vg_search_error_json(&err);
			json_dumpf(e, stdout, JSON_COMPACT);
			putchar('\n');
			json_decref(e);
		}
		fail(&err);
		return exit_code(&err);
	}
	json_t *j = as_json ? vg_results_json(&res) : NULL;
	if (as_json && !j) {
		vg_results_clear(&res);
		fprintf(stderr, "%s : mémoire insuffisante\n", prog);
		return EXIT_FAILURE;
	}
	if (as_json) {
		json_dumpf(j, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(j);
	} else {
		print_results(&res);
	}
	vg_results_clear(&res);
	return EXIT_SUCCESS;
}

static void print_problems(const vg_strlist *problems)
{
	fprintf(stderr, "\nVigie : %zu problème(s) dans les en-têtes des notes :\n\n", problems->count);
	for (size_t i = 0; i < problems->count; i++)
		fprintf(stderr, "  - %s\n", problems->items[i]);
	fprintf(stderr, "\nLes champs autorisés sont décrits dans .vigie/schema.yml et CONTRIBUTING.md.\n");
}

/* The pre-receive hook: "old new ref" lines on stdin; refuse the whole push
 * when it would break the repository's rules (vg_check_push). vigie-server
 * says who pushes in VIGIE_ROLE and whether other refs are accepted in
 * VIGIE_OTHER_REFS; a push that does not come through it (ssh, disk) is an
 * operator's, who may change the schema. */
static int check_pre_receive(void)
{
	vg_repo *repo = NULL;
	vg_err err;
	vg_strlist problems = {NULL, 0};
	char *branch = NULL;
	const char *role = getenv("VIGIE_ROLE"), *other = getenv("VIGIE_OTHER_REFS");
	int rc = vg_repo_open_env(&repo, &err);
	if (rc == 0 && vg_repo_head_branch(repo, &branch, &err) < 0)
		vg_err_clear(&err); /* a detached HEAD: no branch is the indexed one */
	vg_push_policy policy = {branch, other && strcmp(other, "1") == 0, !role || strcmp(role, "admin") == 0};
	char line[1024];
	while (rc == 0 && fgets(line, sizeof(line), stdin)) {
		char old_hex[64], new_hex[64], ref[900];
		if (sscanf(line, "%63s %63s %899s", old_hex, new_hex, ref) != 3)
			continue;
		git_oid old_oid, new_oid;
		if (git_oid_fromstr(&new_oid, new_hex) < 0 || git_oid_fromstr(&old_oid, old_hex) < 0)
			continue;
		rc = vg_check_push(repo, &policy, ref, &old_oid, &new_oid, &problems, &err);
	}
	free(branch);
	vg_repo_free(repo);
	if (rc < 0) {
		fprintf(stderr, "Vigie : vérification impossible : %s\n", err.msg);
		return EXIT_FAILURE;
	}
	if (problems.count) {
		print_problems(&problems);
		fprintf(stderr, "Envoi refusé : rien n'a été enregistré. Corrigez ces fichiers, faites un "
		                "nouveau commit (git commit --amend) et renvoyez-les (git push).\n\n");
	}
	int code = problems.count ? EXIT_FAILURE : EXIT_SUCCESS;
	vg_strlist_clear(&problems);
	return code;
}

/* veille --db INDEX [--db INDEX...] [--name NOM...] [--only NOM] [--since JOUR]
 * [--json] [--mail ADRESSE [--sendmail PROG]]: the notes of the indexes
 * whose cited articles changed after them, printed or mailed. */
static int cmd_veille(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},    {"name", required_argument, NULL, 'n'},
		{"since", required_argument, NULL, 's'}, {"json", no_argument, NULL, 'j'},
		{"only", required_argument, NULL, 'o'},  {"mail", required_argument, NULL, 'm'},
		{"sendmail", required_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
	const char *mail = NULL, *sendmail = "/usr/sbin/sendmail";
	const char *dbs[16], *names[16];
	size_t n = 0, n_names = 0;
	vg_veille_opts o;
	int as_json = 0, c;
	memset(&o, 0, sizeof(o));
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (n == 16) {
				fprintf(stderr, "%s : 16 index au plus\n", prog);
				return EXIT_USAGE;
			}
			dbs[n++] = optarg;
			break;
		case 'n':
			if (n_names < 16)
				names[n_names++] = optarg;
			break;
		case 's':
			if (!vg_doc_date_valid(optarg)) {
				fprintf(stderr, "%s : --since : date AAAA-MM-JJ attendue, pas « %s »\n", prog, optarg);
				return EXIT_USAGE;
			}
			o.since = optarg;
			break;
		case 'j': as_json = 1; break;
		case 'o': o.repo = optarg; break;
		case 'm': mail = optarg; break;
		case 'S': sendmail = optarg; break;
		case 'h':
			printf("Usage : %s veille --db INDEX [--db INDEX...] [--name NOM...] [--only NOM] [--since AAAA-MM-JJ]\n"
			       "                 [--json | --mail ADRESSE [--sendmail PROGRAMME]]\n\n"
			       "Liste les notes dont un article cité (dans l'un des index) a été modifié ou abrogé\n"
			       "après la date de la note (champ date, champ revu ou dernier commit de la note).\n"
			       "  --db INDEX   un index à lire (les notes et les codes : plusieurs --db les lisent ensemble)\n"
			       "  --name NOM   le nom du dépôt de chaque --db, dans le même ordre\n"
			       "  --only NOM   seulement les notes de ce dépôt\n"
			       "  --since JOUR seulement les changements de ce jour ou après\n"
			       "  --json       la réponse de GET /api/veille\n"
			       "  --mail ADR   envoie la liste à cette adresse par sendmail (rien quand elle est vide)\n"
			       "  --sendmail P le programme d'envoi (par défaut : /usr/sbin/sendmail)\n",
			       prog);
			return EXIT_SUCCESS;
		default: return EXIT_USAGE;
		}
	}
	if (n == 0 || optind < argc) {
		fprintf(stderr, "%s : veille attend --db INDEX (voir --help)\n", prog);
		return EXIT_USAGE;
	}
	vg_searcher *s = NULL;
	vg_err err;
	vg_veille_list res;
	int rc = vg_searcher_open_many(&s, dbs, n_names == n ? names : NULL, n, &err);
	if (rc == 0)
		rc = vg_veille_review(&res, s, &o, &err);
	vg_searcher_free(s);
	if (rc < 0) {
		fail(&err);
		return exit_code(&err);
	}
	size_t n_notes = res.n_notes;
	if (mail && n_notes && (rc = vg_veille_mail(sendmail, mail, &res, &err)) < 0) {
		vg_veille_list_clear(&res);
		fail(&err);
		return exit_code(&err);
	}
	if (mail) {
		if (n_notes)
			printf("%zu note(s) à revoir : message envoyé à %s\n", n_notes, mail);
		else
			printf("aucune note à revoir : aucun message envoyé\n");
	} else if (as_json) {
		json_t *j = vg_veille_json(&res, NULL);
		if (!j) {
			vg_veille_list_clear(&res);
			fprintf(stderr, "%s : mémoire insuffisante\n", prog);
			return EXIT_FAILURE;
		}
		json_dumpf(j, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(j);
	} else {
		vg_strbuf b = VG_STRBUF_INIT;
		vg_veille_text(&b, &res);
		fputs(n_notes ? (b.ptr ? b.ptr : "") : "aucune note à revoir\n", stdout);
		vg_strbuf_free(&b);
	}
	vg_veille_list_clear(&res);
	return EXIT_SUCCESS;
}

static int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {{"repo", required_argument, NULL, 'r'},
	                                     {"pre-receive", no_argument, NULL, 'p'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *root = ".";
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': root = optarg; break;
		case 'p': return check_pre_receive();
		case 'h':
			printf("Usage : %s check [--repo DOSSIER] [FICHIER...]\n"
			       "        %s check --pre-receive      (crochet git du serveur)\n\n"
			       "Vérifie les en-têtes des notes (champs requis, valeurs autorisées, dates,\n"
			       "références) selon .vigie/schema.yml. Sans fichier : toutes les notes du dossier.\n",
			       prog, prog);
			return EXIT_SUCCESS;
		default: return EXIT_USAGE;
		}
	}
	vg_strlist problems = {NULL, 0};
	vg_err err;
	int rc = vg_check_files(root, (const char *const *)(argv + optind), (size_t)(argc - optind), &problems, &err);
	if (rc < 0) {
		fail(&err);
		vg_strlist_clear(&problems);
		return EXIT_FAILURE;
	}
	if (problems.count)
		print_problems(&problems);
	else
		printf("notes conformes\n");
	int code = problems.count ? EXIT_FAILURE : EXIT_SUCCESS;
	vg_strlist_clear(&problems);
	return code;
}

static int cmd_init_repo(int argc, char **argv)
{
	static const struct option opts[] = {{"bare", no_argument, NULL, 'b'},
	                                     {"template", required_argument, NULL, 't'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	int bare = 0, c;
	const char *tpl = NULL;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': bare = 1; break;
		case 't': tpl = optarg; break;
		case 'h':
			printf("Usage : %s init-repo [--bare] [--template MODÈLE] DOSSIER\n\n"
			       "Crée un dépôt documentaire (dossiers, schéma, synonymes, guides, notes\n"
			       "d'exemple, crochets) à partir du modèle. --bare : un dépôt nu, à servir.\n",
			       prog);
			return EXIT_SUCCESS;
		default: return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "%s : init-repo attend un dossier\n", prog);
		return EXIT_USAGE;
	}
	char *found = tpl ? strdup(tpl) : vg_template_find();
	if (!found) {
		fprintf(stderr, "%s : modèle de dépôt introuvable (--template ou VIGIE_TEMPLATE)\n", prog);
		return EXIT_FAILURE;
	}
	vg_err err;
	int rc = vg_template_create(found, argv[optind], bare, &err);
	free(found);
	if (rc < 0) {
		fail(&err);
		return EXIT_FAILURE;
	}
	printf("dépôt documentaire créé : %s\n", argv[optind]);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	/* An extraction child that stops reading must not kill the indexer. */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return EXIT_SUCCESS;
	}
	argc--;
	argv++;
	if (strcmp(cmd, "update") == 0)
		return cmd_update(argc, argv, 0);
	if (strcmp(cmd, "rebuild") == 0)
		return cmd_update(argc, argv, 1);
	if (strcmp(cmd, "status") == 0)
		return cmd_status(argc, argv);
	if (strcmp(cmd, "verify") == 0)
		return cmd_verify(argc, argv);
	if (strcmp(cmd, "search") == 0)
		return cmd_search(argc, argv);
	if (strcmp(cmd, "veille") == 0)
		return cmd_veille(argc, argv);
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc, argv);
	if (strcmp(cmd, "init-repo") == 0)
		return cmd_init_repo(argc, argv);
	fprintf(stderr, "%s : commande inconnue « %s »\n", prog, cmd);
	usage(stderr);
	return EXIT_USAGE;
}
