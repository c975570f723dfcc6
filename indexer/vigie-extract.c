/* vigie-extract: extracts the text of one attachment read on standard input
 * and writes it as JSON, within a memory and a CPU time limit. Run by the
 * indexer for each PDF, office or HTML file: a file that explodes takes
 * this process down, not the indexer. */
#include "extract.h"
#include "strbuf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
	                                     {"max-memory", required_argument, NULL, 'm'},
	                                     {"max-seconds", required_argument, NULL, 's'},
	                                     {NULL, 0, NULL, 0}};
	const char *format = NULL;
	unsigned long long memory = 512ULL << 20, seconds = 30;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'm')
			memory = strtoull(optarg, NULL, 10);
		else if (c == 's')
			seconds = strtoull(optarg, NULL, 10);
		else
			return 2;
	}
	if (!format) {
		fprintf(stderr, "usage : vigie-extract --format pdf|odf|ooxml|html [--max-memory OCTETS] "
		                "[--max-seconds N] < FICHIER\n");
		return 2;
	}
	struct rlimit as = {(rlim_t)memory, (rlim_t)memory}, cpu = {(rlim_t)seconds, (rlim_t)seconds + 1};
#if !defined(__SANITIZE_ADDRESS__)
	/* (AddressSanitizer reserves terabytes of address space: no limit then.) */
	setrlimit(RLIMIT_AS, &as);
#else
	(void)as;
#endif
	setrlimit(RLIMIT_CPU, &cpu);
	vg_strbuf in = VG_STRBUF_INIT;
	if (vg_strbuf_add_stream(&in, stdin) < 0) {
		fprintf(stderr, "lecture impossible ou mémoire insuffisante\n");
		return 1;
	}
	json_t *out = NULL;
	vg_err err;
	vg_err_clear(&err);
	if (vg_extract_here(format, in.ptr ? in.ptr : "", in.len, &out, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	if (json_dumpf(out, stdout, JSON_COMPACT) < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "écriture impossible\n");
		return 1;
	}
	json_decref(out);
	vg_strbuf_free(&in);
	return 0;
}
