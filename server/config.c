#include "config.h"
#include "install.h"
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void vg_config_init(vg_config *c)
{
	memset(c, 0, sizeof(*c));
	c->listen = strdup("127.0.0.1");
	c->port = 8080;
	/* The front end of the build tree, else the installed one. */
	c->web = vg_install_data("web");
	if (!c->web)
		c->web = strdup("web");
	c->max_connections = 256;
	c->max_per_ip = 64;
	c->timeout = 30;
	c->memory_limit = 64 * 1024;
	c->max_url = 4096;
	c->readers = 4;
	/* Each thread's arena keeps what it freed: a few bound the memory of
	 * a server answering many searches at once. bench/search-log.sh, every
	 * search computed: 70 MiB at glibc's count, 65 at 8, 62 at 4, 61 at
	 * 2, the throughput falling from 0.70 of the in-process ceiling at 64
	 * connections to about 0.65 at 4. */
	c->malloc_arenas = 4;
	c->anonymous = 1;
	c->max_push = 100u << 20;
	c->header_timeout = 10;
	c->request_timeout = 600;
	c->health_max_lag = 600;
	c->watch_ms = 500;
	c->cache = 1024;
}

static void repo_conf_clear(vg_repo_conf *r)
{
	free(r->name);
	free(r->path);
	free(r->index);
	free(r->title);
	free(r->read);
	free(r->push);
	free(r->upstream);
	free(r->veille_mail);
}

void vg_config_clear(vg_config *c)
{
	for (size_t i = 0; i < c->n_repos; i++)
		repo_conf_clear(&c->repos[i]);
	free(c->repos);
	free(c->config_file);
	free(c->listen);
	free(c->repo);
	free(c->index);
	free(c->web);
	free(c->base_url);
	free(c->tls_cert);
	free(c->tls_key);
	free(c->users);
	free(c->groups);
	memset(c, 0, sizeof(*c));
}

static int set_string(char **dst, const char *v)
{
	char *s = strdup(v);
	if (!s)
		return VG_ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

/* A repository name goes into URLs and folder names: a letter or digit,
 * then letters, digits, '-', '_' or '.', without a final ".git". */
static int valid_repo_name(const char *n)
{
	size_t len = strlen(n);
	if (len == 0 || len > 64 || !isalnum((unsigned char)n[0]) ||
	    (len > 4 && strcmp(n + len - 4, ".git") == 0))
		return 0;
	for (const char *p = n; *p; p++)
		if (!(isalnum((unsigned char)*p) && (unsigned char)*p < 0x80) && *p != '-' && *p != '_' && *p != '.')
			return 0;
	return 1;
}

const vg_repo_conf *vg_config_repo(const vg_config *c, const char *name, size_t *pos)
{
	for (size_t i = 0; name && i < c->n_repos; i++)
		if (strcmp(c->repos[i].name, name) == 0) {
			if (pos)
				*pos = i;
			return &c->repos[i];
		}
	return NULL;
}

/* A yes or no setting. */
static int set_flag(int *flag, const char *key, const char *value, vg_err *err)
{
	if (strcmp(value, "yes") == 0 || strcmp(value, "oui") == 0 || strcmp(value, "1") == 0)
		*flag = 1;
	else if (strcmp(value, "no") == 0 || strcmp(value, "non") == 0 || strcmp(value, "0") == 0)
		*flag = 0;
	else
		return vg_err_set(err, VG_EINVAL, "« %s » : yes ou no attendu, pas « %s »", key, value);
	return 0;
}

/* A text setting: its key and where it goes in its struct. */
typedef struct string_key {
	const char *key;
	size_t offset;
} string_key;

/* Sets key of obj from table[0..n); 1 when the table has no such key. */
static int set_string_key(void *obj, const string_key *table, size_t n, const char *key, const char *value,
                          vg_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(key, table[i].key) == 0)
			return set_string((char **)((char *)obj + table[i].offset), value) < 0
			               ? vg_err_set(err, VG_ENOMEM, "mémoire insuffisante")
			               : 0;
	return 1;
}

int vg_config_set_repo(vg_config *c, const char *name, const char *key, const char *value, vg_err *err)
{
	static const string_key strings[] = {
		{"path", offsetof(vg_repo_conf, path)},   {"index", offsetof(vg_repo_conf, index)},
		{"title", offsetof(vg_repo_conf, title)}, {"read", offsetof(vg_repo_conf, read)},
		{"push", offsetof(vg_repo_conf, push)},   {"upstream", offsetof(vg_repo_conf, upstream)},
		{"veille_mail", offsetof(vg_repo_conf, veille_mail)},
	};
	if (!valid_repo_name(name))
		return vg_err_set(err, VG_EINVAL,
		                  "nom de dépôt invalide « %s » : lettres, chiffres, « - », « _ » ou « . », sans « .git » final",
		                  name);
	vg_repo_conf *r = (vg_repo_conf *)vg_config_repo(c, name, NULL);
	if (!r) {
		if (c->n_repos >= VG_MAX_REPOS)
			return vg_err_set(err, VG_EINVAL, "trop de dépôts (%d au plus)", VG_MAX_REPOS);
		vg_repo_conf *grown = realloc(c->repos, (c->n_repos + 1) * sizeof(*grown));
		if (!grown)
			return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		c->repos = grown;
		r = &c->repos[c->n_repos];
		memset(r, 0, sizeof(*r));
		r->fetch_every = 3600;
		r->other_refs = -1;
		if (!(r->name = strdup(name)))
			return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		c->n_repos++;
	}
	if (!key)
		return 0;
	int rc = set_string_key(r, strings, sizeof(strings) / sizeof(strings[0]), key, value, err);
	if (rc <= 0)
		return rc;
	if (strcmp(key, "other_refs") == 0)
		return set_flag(&r->other_refs, key, value, err);
	if (strcmp(key, "fetch_every") == 0) {
		unsigned long long n;
		if (vg_text_parse_size(value, 86400 * 30, &n) < 0 || n == 0)
			return vg_err_set(err, VG_EINVAL, "« fetch_every » : nombre de secondes attendu (1 à %u), pas « %s »",
			                  86400 * 30, value);
		r->fetch_every = (unsigned)n;
		return 0;
	}
	return vg_err_set(err, VG_EINVAL,
	                  "paramètre de dépôt inconnu « %s » (path, index, title, read, push, upstream, fetch_every, other_refs, "
	                  "veille_mail)",
	                  key);
}

int vg_config_set(vg_config *c, const char *key, const char *value, vg_err *err)
{
	static const string_key strings[] = {
		{"listen", offsetof(vg_config, listen)},     {"repo", offsetof(vg_config, repo)},
		{"index", offsetof(vg_config, index)},       {"web", offsetof(vg_config, web)},
		{"base_url", offsetof(vg_config, base_url)}, {"tls_cert", offsetof(vg_config, tls_cert)},
		{"tls_key", offsetof(vg_config, tls_key)},   {"users", offsetof(vg_config, users)},
		{"groups", offsetof(vg_config, groups)},
	};
	static const struct {
		const char *key;
		unsigned long long max;
	} numbers[] = {{"port", 65535},           {"max_connections", 100000}, {"max_per_ip", 100000},
	               {"timeout", 86400},        {"memory_limit", 1u << 30},  {"max_url", 1u << 20},
	               {"readers", 256},          {"watch_ms", 3600000},       {"cache", 1000000},
	               {"max_push", 1ull << 40},  {"header_timeout", 86400},   {"request_timeout", 86400},
	               {"health_max_lag", 86400 * 30}, {"malloc_arenas", 64}};
	int rc = set_string_key(c, strings, sizeof(strings) / sizeof(strings[0]), key, value, err);
	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		if (strcmp(key, numbers[i].key) != 0)
			continue;
		unsigned long long n;
		if (vg_text_parse_size(value, numbers[i].max, &n) < 0)
			return vg_err_set(err, VG_EINVAL, "« %s » : nombre attendu (au plus %llu), pas « %s »", key,
			                  numbers[i].max, value);
		switch (i) {
		case 0: c->port = (unsigned)n; break;
		case 1: c->max_connections = (unsigned)n; break;
		case 2: c->max_per_ip = (unsigned)n; break;
		case 3: c->timeout = (unsigned)n; break;
		case 4: c->memory_limit = (size_t)n; break;
		case 5: c->max_url = (size_t)n; break;
		case 6: c->readers = n ? (unsigned)n : 1; break;
		case 7: c->watch_ms = (unsigned)n; break;
		case 8: c->cache = (unsigned)n; break;
		case 9: c->max_push = (size_t)n; break;
		case 10: c->header_timeout = (unsigned)n; break;
		case 11: c->request_timeout = (unsigned)n; break;
		case 12: c->health_max_lag = (unsigned)n; break;
		default: c->malloc_arenas = (unsigned)n; break;
		}
		return 0;
	}
	int *flag = strcmp(key, "anonymous") == 0 ? &c->anonymous : strcmp(key, "other_refs") == 0 ? &c->other_refs : NULL;
	if (flag)
		return set_flag(flag, key, value, err);
	return vg_err_set(err, VG_EINVAL, "paramètre inconnu « %s »", key);
}


int vg_config_load(vg_config *c, const char *path, vg_err *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return vg_err_set(err, VG_ENOTFOUND, "configuration %s illisible : %s", path, strerror(errno));
	char line[4096];
	char section[128] = "";
	unsigned lineno = 0;
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		lineno++;
		size_t len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n' && !feof(f)) {
			rc = vg_err_set(err, VG_EINVAL, "%s, ligne %u : ligne trop longue (plus de %zu octets)", path, lineno,
			                sizeof(line) - 2);
			break;
		}
		/* A comment starts with '#' at the start of the line or after
		 * white space: "web = /srv/web#1" keeps its '#'. */
		for (char *hash = line; (hash = strchr(hash, '#')) != NULL; hash++) {
			if (hash == line || hash[-1] == ' ' || hash[-1] == '\t') {
				*hash = '\0';
				break;
			}
		}
		char *s = vg_text_trim(line);
		if (!*s)
			continue;
		if (*s == '[') {
			/* "[repository NAME]": the keys below describe NAME. */
			char *end = strchr(s, ']');
			char *name = s + 1;
			if (end && !vg_text_trim(end + 1)[0]) {
				*end = '\0';
				name = vg_text_trim(name);
			}
			if (!end || strncmp(name, "repository", 10) != 0 || (name[10] != ' ' && name[10] != '\t')) {
				rc = vg_err_set(err, VG_EINVAL, "%s, ligne %u : « [repository NOM] » attendu", path, lineno);
				break;
			}
			name = vg_text_trim(name + 10);
			vg_err e;
			if (vg_config_set_repo(c, name, NULL, NULL, &e) < 0) {
				rc = vg_err_set(err, e.code, "%s, ligne %u : %s", path, lineno, e.msg);
				break;
			}
			snprintf(section, sizeof(section), "%s", name);
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			rc = vg_err_set(err, VG_EINVAL, "%s, ligne %u : « clé = valeur » attendu", path, lineno);
			break;
		}
		*eq = '\0';
		vg_err e;
		if ((section[0] ? vg_config_set_repo(c, section, vg_text_trim(s), vg_text_trim(eq + 1), &e)
		                : vg_config_set(c, vg_text_trim(s), vg_text_trim(eq + 1), &e)) < 0)
			rc = vg_err_set(err, e.code, "%s, ligne %u : %s", path, lineno, e.msg);
	}
	fclose(f);
	return rc;
}

void vg_config_usage(const char *prog)
{
	printf("Usage : %s [OPTIONS]\n"
	       "\n"
	       "Serveur de recherche documentaire Vigie.\n"
	       "\n"
	       "  --config FICHIER        fichier de configuration (clé = valeur) ; relu à la réception de SIGHUP\n"
	       "  --send-veille           envoie à chaque dépôt ayant « veille_mail » ses notes à revoir, puis s'arrête\n"
	       "  --sendmail PROGRAMME    le programme d'envoi de --send-veille (par défaut : /usr/sbin/sendmail)\n"
	       "  --listen ADRESSE        adresse d'écoute (par défaut : 127.0.0.1)\n"
	       "  --port N                port (par défaut : 8080 ; 0 : un port libre)\n"
	       "  --repo DÉPÔT            dépôt git de la documentation\n"
	       "  --index INDEX           dossier de l'index (vigie-index update)\n"
	       "  --web DOSSIER           fichiers de l'interface (par défaut : ceux de Vigie)\n"
	       "  --base-url URL          adresse publique, pour les flux Atom et OpenSearch\n"
	       "  --tls-cert FICHIER      certificat PEM : sert en HTTPS avec --tls-key\n"
	       "  --tls-key FICHIER       clé privée PEM\n"
	       "  --max-connections N     connexions simultanées (par défaut : 256)\n"
	       "  --max-per-ip N          connexions simultanées par adresse (par défaut : 64)\n"
	       "  --timeout SECONDES      délai d'inactivité d'une connexion (par défaut : 30)\n"
	       "  --memory-limit OCTETS   mémoire par connexion (par défaut : 64K)\n"
	       "  --max-url OCTETS        longueur maximale d'une requête (par défaut : 4096)\n"
	       "  --users FICHIER         comptes (htpasswd, empreintes bcrypt : htpasswd -B)\n"
	       "  --groups FICHIER        groupes « nom: membres » : contributors, admins, lille, amiens…\n"
	       "  --anonymous yes|no      lecture sans compte (par défaut : yes)\n"
	       "  --watch-ms N            surveille la branche toutes les N ms et indexe (par défaut : 500)\n"
	       "  --cache N               réponses gardées en mémoire (par défaut : 1024 ; 0 : aucune)\n"
	       "  --readers N             recherches menées en même temps (par défaut : 4)\n"
	       "  --max-push OCTETS       taille maximale d'un envoi git push (par défaut : 100M)\n"
	       "  --other-refs yes|no     accepter l'envoi d'autres branches et d'étiquettes (par défaut : no)\n"
	       "  --header-timeout S      délai pour recevoir les en-têtes d'une requête (par défaut : 10)\n"
	       "  --request-timeout S     délai pour recevoir une requête entière (par défaut : 600)\n"
	       "  --health-max-lag S      retard de l'index au-delà duquel /healthz répond 503 (par défaut : 600)\n"
	       "  -h, --help              cette aide\n"
	       "\n"
	       "Le fichier de configuration accepte les mêmes noms, avec « _ » : max_connections = 512.\n",
	       prog);
}

int vg_config_args(vg_config *c, int argc, char **argv, int *help, vg_err *err)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},   {"listen", required_argument, NULL, 'l'},
		{"port", required_argument, NULL, 'p'},     {"repo", required_argument, NULL, 'r'},
		{"index", required_argument, NULL, 'i'},    {"web", required_argument, NULL, 'w'},
		{"base-url", required_argument, NULL, 'b'}, {"tls-cert", required_argument, NULL, 'C'},
		{"tls-key", required_argument, NULL, 'K'},  {"max-connections", required_argument, NULL, 'm'},
		{"max-per-ip", required_argument, NULL, 'M'}, {"timeout", required_argument, NULL, 't'},
		{"memory-limit", required_argument, NULL, 'L'}, {"max-url", required_argument, NULL, 'U'},
		{"users", required_argument, NULL, 'u'},    {"groups", required_argument, NULL, 'g'},
		{"anonymous", required_argument, NULL, 'a'}, {"watch-ms", required_argument, NULL, 'W'},
		{"cache", required_argument, NULL, 'k'},    {"readers", required_argument, NULL, 'R'},
		{"max-push", required_argument, NULL, 'P'}, {"other-refs", required_argument, NULL, 'O'},
		{"header-timeout", required_argument, NULL, 'H'}, {"request-timeout", required_argument, NULL, 'T'},
		{"health-max-lag", required_argument, NULL, 'G'},
		{"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
	*help = 0;
	/* The file first, so that options override it. */
	for (int i = 1; i < argc; i++) {
		const char *file = NULL;
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			file = argv[i + 1];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			file = argv[i] + 9;
		if (file) {
			int rc = vg_config_load(c, file, err);
			if (rc < 0)
				return rc;
			if (set_string(&c->config_file, file) < 0)
				return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		}
	}
	optind = 1;
	int o;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		const char *key = NULL;
		for (const struct option *p = opts; p->name; p++)
			if (p->val == o)
				key = p->name;
		if (o == 'h') {
			*help = 1;
			return 0;
		}
		if (o == '?' || !key)
			return vg_err_set(err, VG_EINVAL, "option invalide (voir --help)");
		if (o == 'c')
			continue;
		char name[32];
		snprintf(name, sizeof(name), "%s", key);
		for (char *q = name; *q; q++)
			if (*q == '-')
				*q = '_';
		int rc = vg_config_set(c, name, optarg, err);
		if (rc < 0)
			return rc;
	}
	if (optind < argc)
		return vg_err_set(err, VG_EINVAL, "argument inattendu « %s » (voir --help)", argv[optind]);
	return 0;
}

/* repo and index without sections: one repository named after its folder,
 * read as anonymous allows, pushed by contributors. */
static int single_repository(vg_config *c, vg_err *err)
{
	const char *base = strrchr(c->repo, '/');
	base = base && base[1] ? base + 1 : c->repo;
	char name[65];
	snprintf(name, sizeof(name), "%s", base);
	size_t len = strlen(name);
	if (len > 4 && strcmp(name + len - 4, ".git") == 0)
		name[len - 4] = '\0';
	if (!valid_repo_name(name))
		snprintf(name, sizeof(name), "docs");
	int rc;
	if ((rc = vg_config_set_repo(c, name, "path", c->repo, err)) < 0 ||
	    (rc = vg_config_set_repo(c, name, "index", c->index, err)) < 0)
		return rc;
	return vg_config_set_repo(c, name, "read", "anonymous", err);
}

int vg_config_check(vg_config *c, vg_err *err)
{
	struct stat st;
	if (c->n_repos == 0) {
		int rc;
		if (!c->repo)
			return vg_err_set(err, VG_EINVAL,
			                  "aucun dépôt n'est indiqué (--repo, repo = ... ou une section [repository NOM])");
		if (!c->index)
			return vg_err_set(err, VG_EINVAL, "l'index n'est pas indiqué (--index ou index = ...)");
		if ((rc = single_repository(c, err)) < 0)
			return rc;
		/* From now on the repository is only the section's. */
		free(c->repo);
		free(c->index);
		c->repo = c->index = NULL;
	} else if (c->repo || c->index) {
		return vg_err_set(err, VG_EINVAL, "repo = ... et des sections [repository] : choisissez l'un ou l'autre");
	}
	for (size_t i = 0; i < c->n_repos; i++) {
		const vg_repo_conf *r = &c->repos[i];
		if (!r->path)
			return vg_err_set(err, VG_EINVAL, "dépôt « %s » : « path » manquant", r->name);
		if (!r->index)
			return vg_err_set(err, VG_EINVAL, "dépôt « %s » : « index » manquant", r->name);
		if (!r->read)
			return vg_err_set(err, VG_EINVAL, "dépôt « %s » : « read » manquant (anonymous, all ou des groupes)",
			                  r->name);
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->repos[j].index, r->index) == 0 || strcmp(c->repos[j].path, r->path) == 0)
				return vg_err_set(err, VG_EINVAL, "dépôts « %s » et « %s » : même dépôt git ou même index",
				                  c->repos[j].name, r->name);
	}
	if (!c->web || stat(c->web, &st) < 0 || !S_ISDIR(st.st_mode))
		return vg_err_set(err, VG_EINVAL, "dossier de l'interface introuvable : %s", c->web ? c->web : "");
	if ((c->tls_cert == NULL) != (c->tls_key == NULL))
		return vg_err_set(err, VG_EINVAL, "HTTPS demande à la fois tls_cert et tls_key");
	return 0;
}
