# Vigie: one non-recursive Makefile. Objects go under build/ (or
# build/$(SANITIZER) for sanitizer builds), with -MMD dependency files.

SANITIZER ?=
ifeq ($(SANITIZER),)
BUILD := build
SANFLAGS :=
else
BUILD := build/$(SANITIZER)
SANFLAGS := -fsanitize=$(SANITIZER) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

# Where `make install` puts Vigie (GNU conventions); the programs look
# there for each other and for their data when not run from the build tree.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec
DATADIR ?= $(PREFIX)/share
SYSCONFDIR ?= $(PREFIX)/etc
MANDIR ?= $(DATADIR)/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR ?=

CC ?= cc
CXX ?= c++
OPT ?= -O2 -g
WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wpointer-arith -Wvla -Werror
CWARN := $(WARN) -Wstrict-prototypes -Wmissing-prototypes
PKGS := libgit2 xapian-core yaml-0.1 libcmark-gfm jansson libutf8proc libmicrohttpd poppler-glib libzip libxml-2.0 hunspell
TEST_PKGS := check cairo

# Debian packages that provide what the build, the tests and `make run` use.
DEB_PKGS := build-essential pkg-config git libgit2-dev libxapian-dev \
	libyaml-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libjansson-dev \
	libutf8proc-dev libmicrohttpd-dev libpoppler-glib-dev libzip-dev libxml2-dev libhunspell-dev hunspell-fr mythes-fr check libsubunit-dev libcairo2-dev curl libxml2-utils openssl apache2-utils qpdf \
	chromium
# Only the tests use these, and need none of what they recommend: LibreOffice
# makes real attachments, omindex and pdftotext extract them for reference,
# jq reads the JSON answers, python3 finds a free port for xapian-tcpsrv.
DEB_TEST_LEAN := libreoffice-writer-nogui libreoffice-calc-nogui xapian-omega xapian-tools poppler-utils unzip \
	debhelper dpkg-dev fakeroot lintian groff-base jq python3

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lcrypt
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

CPPFLAGS += -Iindexer -Iserver -D_GNU_SOURCE
# CFLAGS, CXXFLAGS and LDFLAGS from the environment (dpkg-buildflags'
# hardening, say) come on top.
CFLAGS_ALL = -std=c11 $(OPT) $(CWARN) $(SANFLAGS) -pthread $(PKG_CFLAGS) -MMD -MP $(CFLAGS)
CXXFLAGS_ALL = -std=c++11 $(OPT) $(WARN) $(SANFLAGS) -pthread $(PKG_CFLAGS) -MMD -MP $(CXXFLAGS)
LDFLAGS_ALL = $(SANFLAGS) -pthread -Wl,--as-needed $(LDFLAGS)

LIB_C := $(wildcard indexer/*.c)
LIB_C := $(filter-out indexer/vigie-index.c indexer/vigie-extract.c,$(LIB_C))
LIB_CXX := indexer/xapian_shim.cc
LIB_OBJ := $(LIB_C:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o) $(BUILD)/indexer/jargon.o
LIBVIGIE := $(BUILD)/libvigie.a

SERVER_C := $(filter-out server/main.c,$(wildcard server/*.c))
SERVER_OBJ := $(SERVER_C:%.c=$(BUILD)/%.o)
LIBSERVER := $(BUILD)/libvigie-server.a

TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_OBJ := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%.o) $(BUILD)/tests/fixtures.o $(BUILD)/tests/runner.o
TEST_BIN := $(BUILD)/tests/vigie-tests

# Keep test objects between runs.
.SECONDARY:

.PHONY: all deps test-deps check-libs test unit-tests integration-tests browser-tests run bench clean install deb
all: check-libs $(BUILD)/vigie-index $(BUILD)/vigie-server $(BUILD)/vigie-extract $(BUILD)/bench-search-inproc

check-libs:
	@for p in $(PKGS); do \
	  pkg-config --exists $$p || { \
	    case $$p in \
	      libgit2) d=libgit2-dev;; xapian-core) d=libxapian-dev;; \
	      yaml-0.1) d=libyaml-dev;; libcmark-gfm) d="libcmark-gfm-dev libcmark-gfm-extensions-dev";; \
	      jansson) d=libjansson-dev;; libutf8proc) d=libutf8proc-dev;; \
	      libmicrohttpd) d=libmicrohttpd-dev;; poppler-glib) d=libpoppler-glib-dev;; \
	      libzip) d=libzip-dev;; libxml-2.0) d=libxml2-dev;; hunspell) d=libhunspell-dev;; *) d=$$p;; \
	    esac; \
	    echo "error: library '$$p' not found: install the Debian package(s) $$d (or run 'make deps')" >&2; exit 1; }; \
	done

# apt_install PACKAGES,OPTIONS: the shell that installs them, as root or
# through sudo, when the list is not empty.
apt_install = if [ -n "$(strip $(1))" ]; then \
	  echo "installing Debian packages:$(1)"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) $(1) >/dev/null; \
	fi

# Installs the Debian packages that are missing; a quick no-op otherwise.
# Installs the Debian packages that are missing; a quick no-op otherwise.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	$(call apt_install,$$missing,)
	@[ -d tests/browser/node_modules/playwright-core ] && [ -d tests/browser/node_modules/axe-core ] || \
	  (echo "installing playwright-core and axe-core (npm)"; npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_ALL) -c $< -o $@

# The installation folders are compiled into install.o; the stamp changes
# (and install.o is rebuilt) only when they do.
INSTALL_DIRS := -DVG_LIBEXECDIR='"$(LIBEXECDIR)/vigie"' -DVG_DATADIR='"$(DATADIR)/vigie"'
$(BUILD)/install-dirs: FORCE
	@mkdir -p $(BUILD)
	@echo '$(INSTALL_DIRS)' | cmp -s - $@ || echo '$(INSTALL_DIRS)' >$@
$(BUILD)/indexer/install.o: indexer/install.c $(BUILD)/install-dirs
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(INSTALL_DIRS) $(CFLAGS_ALL) -c $< -o $@
.PHONY: FORCE
FORCE:

# The shipped abbreviations, compiled in as one C string.
$(BUILD)/indexer/jargon.c: indexer/jargon.txt
	@mkdir -p $(dir $@)
	@{ echo '/* Generated from indexer/jargon.txt by the Makefile. */'; \
	  echo 'extern const char vg_synonyms_shipped[];'; \
	  echo 'const char vg_synonyms_shipped[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$$/\\n"/' $<; echo '\t"";'; } >$@

$(BUILD)/indexer/jargon.o: $(BUILD)/indexer/jargon.c
	$(CC) $(CPPFLAGS) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS_ALL) -c $< -o $@

$(LIBVIGIE): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/vigie-index: $(BUILD)/indexer/vigie-index.o $(LIBVIGIE)
	$(CXX) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(BUILD)/vigie-extract: $(BUILD)/indexer/vigie-extract.o $(LIBVIGIE)
	$(CXX) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

# The in-process ceiling of the search benchmarks (bench/search-log.sh).
$(BUILD)/bench-search-inproc: $(BUILD)/bench/search-inproc.o $(LIBVIGIE)
	$(CXX) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(LIBSERVER): $(SERVER_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/vigie-server: $(BUILD)/server/main.o $(LIBSERVER) $(LIBVIGIE)
	$(CXX) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS_ALL) $(TEST_CFLAGS) -c $< -o $@

# One program runs every suite of tests/unit/suites.def (CK_RUN_SUITE=name: one).
$(TEST_BIN): $(TEST_OBJ) $(LIBSERVER) $(LIBVIGIE)
	$(CXX) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

unit-tests: check-libs $(TEST_BIN) $(BUILD)/vigie-index $(BUILD)/vigie-server $(BUILD)/vigie-extract
	@VIGIE_BIN=$(BUILD) VIGIE_EXTRACT=$(CURDIR)/$(BUILD)/vigie-extract \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/unit/lsan.supp $(TEST_BIN)

integration-tests: check-libs $(BUILD)/vigie-index $(BUILD)/vigie-server $(BUILD)/vigie-extract
	@VIGIE_BIN=$(BUILD) tests/integration/run-all.sh

# The front end in Debian's Chromium (playwright-core); screenshots in build/browser/.
browser-tests: check-libs $(BUILD)/vigie-index $(BUILD)/vigie-server $(BUILD)/vigie-extract
	@cd tests/browser && VIGIE_BIN=$(BUILD) node --test

# What only the tests use; `make run` does without.
test-deps: deps
	@lean=""; for p in $(DEB_TEST_LEAN); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || lean="$$lean $$p"; \
	done; \
	$(call apt_install,$$lean,--no-install-recommends)

test: deps test-deps
	@$(MAKE) --no-print-directory unit-tests browser-tests integration-tests

PORT ?= 8080
# One folder per port: two demos at once do not share or clobber theirs.
DEMO := $(BUILD)/demo-$(PORT)
CORPUS_CODE := $(wildcard ../shared/corpus/code-de-l-education.bundle)
# The demo: four repositories, each read and pushed by its own accounts:
# commun (the template with a short history: everyone reads, both
# académies' jurists push), lille and amiens (that académie only), and the
# Code de l'éducation mirrored read-only from the corpus when it is there.
# DOCS=REPO adds a copy of another repository or bundle, read by everyone
# (make run DOCS=../shared/corpus/code-du-travail.bundle).
DOCS ?=
run: deps
	@$(MAKE) --no-print-directory all
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@repo-template/demo.sh $(DEMO)/work >/dev/null && git clone -q --bare $(DEMO)/work $(DEMO)/commun.git
	@for a in lille amiens; do repo-template/demo.sh $(DEMO)/work-$$a $$a >/dev/null && \
	  git clone -q --bare $(DEMO)/work-$$a $(DEMO)/$$a.git; done
	@printf '[repository commun]\ntitle = Documentation commune\npath = %s\nindex = %s\nread = anonymous\npush = contributors\n\n' \
	  $(abspath $(DEMO))/commun.git $(abspath $(DEMO))/index-commun > $(DEMO)/vigie.conf
	@for a in lille amiens; do \
	  printf '[repository %s]\ntitle = Académie de %s\npath = %s\nindex = %s\nread = %s\npush = juristes-%s\n\n' $$a \
	    "$$(echo $$a | sed 's/^./\U&/')" $(abspath $(DEMO))/$$a.git $(abspath $(DEMO))/index-$$a $$a $$a >> $(DEMO)/vigie.conf; done
	@if [ -n "$(CORPUS_CODE)" ]; then git clone -q --bare "$(CORPUS_CODE)" $(DEMO)/code-de-l-education.git && \
	  printf '[repository code-de-l-education]\ntitle = Code de l’éducation\npath = %s\nindex = %s\nread = anonymous\nupstream = %s\n\n' \
	    $(abspath $(DEMO))/code-de-l-education.git $(abspath $(DEMO))/index-code-de-l-education $(abspath $(CORPUS_CODE)) >> $(DEMO)/vigie.conf; fi
	@if [ -n "$(DOCS)" ]; then git clone -q --bare "$(DOCS)" $(DEMO)/docs.git && \
	  printf '[repository docs]\ntitle = %s\npath = %s\nindex = %s\nread = anonymous\n\n' "$(notdir $(DOCS))" \
	    $(abspath $(DEMO))/docs.git $(abspath $(DEMO))/index-docs >> $(DEMO)/vigie.conf; fi
	@for r in $(DEMO)/*.git; do n=$$(basename $$r .git); $(BUILD)/vigie-index update --repo $$r --db $(DEMO)/index-$$n --quiet; done
	@htpasswd -bcB $(DEMO)/users juriste-lille vigie-demo 2>/dev/null && htpasswd -bB $(DEMO)/users juriste-amiens vigie-demo 2>/dev/null && \
	  htpasswd -bB $(DEMO)/users comptable-lille vigie-demo 2>/dev/null && htpasswd -bB $(DEMO)/users admin vigie-admin 2>/dev/null
	@printf 'contributors: juriste-lille juriste-amiens\njuristes-lille: juriste-lille\njuristes-amiens: juriste-amiens\nlille: juriste-lille comptable-lille\namiens: juriste-amiens\nadmins: admin\n' > $(DEMO)/groups
	@echo "Comptes de démonstration (mot de passe vigie-demo) : juriste-lille et juriste-amiens (contributeurs),"
	@echo "  comptable-lille (lecteur, Lille) ; admin / vigie-admin"
	@echo "Cloner : git clone http://127.0.0.1:$(PORT)/git/commun.git (ou lille.git, amiens.git…)"
	@exec $(BUILD)/vigie-server --config $(DEMO)/vigie.conf --web web --port $(PORT) \
		--users $(DEMO)/users --groups $(DEMO)/groups

bench: all
	@bench/run-all.sh $(BUILD)

# The programs, the front end, the repository template, the configuration,
# the manual pages and the systemd units, under DESTDIR.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR)/vigie $(DESTDIR)$(DATADIR)/vigie \
	  $(DESTDIR)$(SYSCONFDIR)/vigie $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(UNITDIR)
	install -m 0755 $(BUILD)/vigie-index $(BUILD)/vigie-server $(DESTDIR)$(BINDIR)/
	install -m 0755 $(BUILD)/vigie-extract $(DESTDIR)$(LIBEXECDIR)/vigie/
	rm -rf $(DESTDIR)$(DATADIR)/vigie/web $(DESTDIR)$(DATADIR)/vigie/repo-template
	cp -R web repo-template $(DESTDIR)$(DATADIR)/vigie/
	chmod -R u=rwX,go=rX $(DESTDIR)$(DATADIR)/vigie
	chmod 0755 $(DESTDIR)$(DATADIR)/vigie/repo-template/demo.sh $(DESTDIR)$(DATADIR)/vigie/repo-template/.vigie/hooks/*
	install -m 0644 server/vigie.conf $(DESTDIR)$(SYSCONFDIR)/vigie/vigie.conf
	install -m 0644 doc/vigie-server.1 doc/vigie-index.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 doc/vigie.conf.5 $(DESTDIR)$(MANDIR)/man5/
	for u in vigie-server.service vigie-index-update.service vigie-index-update.timer vigie-veille.service vigie-veille.timer; do \
	  sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' server/systemd/$$u \
	    >$(DESTDIR)$(UNITDIR)/$$u && chmod 0644 $(DESTDIR)$(UNITDIR)/$$u; done

# The Debian package, built with Debian's own tools, into build/deb/.
deb:
	@command -v dpkg-buildpackage >/dev/null && dpkg-query -W debhelper >/dev/null 2>&1 || \
	  { echo "dpkg-buildpackage needs dpkg-dev and debhelper (make test-deps installs them)" >&2; exit 1; }
	rm -rf build/deb && mkdir -p build/deb/src
	git ls-files -z | xargs -0 cp --parents -t build/deb/src
	cd build/deb/src && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || { tail -30 ../build.log; exit 1; }
	@ls build/deb/*.deb

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
