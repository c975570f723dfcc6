// The Xapian shim: the only C++ in Vigie. Each exported function is
// noexcept and turns every exception into a VG_E* code and a message.
#include "xapian_shim.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <new>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

extern "C" {
#include "fields.h"
#include "legalref.h"
#include "quantity.h"
#include "query.h"
#include "text.h"
}

namespace {

// The French stemmer, remembering the stems it gave: indexing and snippets
// stem every word of a text, and the words of a language repeat. Used by
// one thread at a time, as the Xapian objects it serves are.
class CachedStem : public Xapian::StemImplementation {
	Xapian::Stem french{"french"};
	std::unordered_map<std::string, std::string> stems;
	static const size_t MAX_WORDS = 200000; // then it starts again

      public:
	std::string operator()(const std::string &word) override
	{
		auto at = stems.find(word);
		if (at != stems.end())
			return at->second;
		if (stems.size() >= MAX_WORDS)
			stems.clear();
		return stems.emplace(word, french(word)).first->second;
	}
	std::string get_description() const override { return "french"; }
};

Xapian::Stem cached_french()
{
	return Xapian::Stem(new CachedStem);
}

} // namespace

struct FacetTable;

struct vg_xdb {
	Xapian::Database *db = nullptr;          // the reader, or the writer below (or several combined)
	Xapian::Stem stem = cached_french();     // for its queries and snippets
	std::vector<std::string> part_uuids;     // of the databases combined, in order
	bool remote = false;                     // served by xapian-tcpsrv, or one of those combined
	Xapian::WritableDatabase *wdb = nullptr; // set for writers
	std::unordered_map<std::string, unsigned> spelling; // pending additions
	bool spelling_deferred = false;
	std::unique_ptr<FacetTable> facet_table; // of a local index, once counted
};

struct vg_xdoc {
	Xapian::Document doc;
	// Where the next text's words start: each text after the last one's,
	// with a gap, so that a phrase never spans two fields.
	Xapian::termpos next_pos = 0;
};

struct vg_xgen {
	Xapian::TermGenerator tg;
	// What tg holds between two texts instead of the document it indexed:
	// that document goes to the writer's thread, and a handle's count of
	// references is not atomic (a copy left here raced with the writer's).
	Xapian::Document none;
	vg_xgen() { tg.set_stemmer(cached_french()); }
};

namespace {

// Gives the generator back its own empty document, whatever happens.
struct Indexing {
	vg_xgen *gen;
	Indexing(vg_xgen *g, const Xapian::Document &doc) : gen(g) { gen->tg.set_document(doc); }
	~Indexing() { gen->tg.set_document(gen->none); }
	Indexing(const Indexing &) = delete;
	Indexing &operator=(const Indexing &) = delete;
};

} // namespace

struct vg_xmset {
	Xapian::Database db;
	Xapian::Enquire enquire;
	Xapian::MSet mset;
	Xapian::Stem stem;
	Xapian::ValueCountMatchSpy *spy = nullptr;
	struct FacetCounts *facets = nullptr;
	// A plain query's clauses (one per word, phrase or reference), the
	// words they came from, and what the match is restricted to.
	std::vector<Xapian::Query> clauses;
	std::vector<std::string> clause_words;
	std::vector<std::string> snippet_words; // what snippets look for, once known
	bool snippet_words_known = false;
	Xapian::Query restriction;
	Xapian::Query matching; // which documents match, restricted, weightless
	bool partial = false;
	size_t n_shards = 1;
	bool counted = false;               // total and facets counted after ranking
	Xapian::doccount counted_total = 0;
	double count_scale = 1;             // of the counts, from a sample
	bool partial_counts = false;        // counted from a sample, or cut short

	vg_xmset(const Xapian::Database &d, const Xapian::Stem &s) : db(d), enquire(d), stem(s) {}
	~vg_xmset();
};

// The four facets of every match, from their one packed value counted by
// Xapian's own ValueCountMatchSpy: a value read once per match, and a spy
// that xapian-tcpsrv can run for a remote index.
struct FacetCounts {
	std::unordered_map<std::string, unsigned> counts[VG_N_FACETS];

	void add(const std::string &v, unsigned n)
	{
		size_t start = 0;
		for (unsigned f = 0; f < VG_N_FACETS && start <= v.size(); f++) {
			size_t end = v.find('\x1f', start);
			if (end == std::string::npos)
				end = v.size();
			if (end > start)
				counts[f][v.substr(start, end - start)] += n;
			start = end + 1;
		}
	}
};

// An even sample of the documents, one in every: in each run of width *
// every docids, width of them, so that a count over it skips most of
// each posting list. Each database combined gets a copy over its own
// docids, sampled at the same rate, in runs no longer than its size
// allows (at most run) and from a phase of its own, so that a small
// database is not counted every times over.
class SampleRuns : public Xapian::PostingSource {
	uint64_t every, run, width = 1, span = 1, phase = 0, last = 0, at = 0;
	Xapian::doccount docs = 0;

	// The first sampled docid at or after did, or past last.
	uint64_t first_from(uint64_t did) const
	{
		if (did > last)
			return last + 1;
		uint64_t offset = (did - 1 + phase) % span;
		return offset < width ? did : did + (span - offset);
	}

      public:
	SampleRuns(Xapian::docid one_in, Xapian::docid longest) : every(one_in), run(longest) {}
	void init(const Xapian::Database &db) override
	{
		last = db.get_lastdocid();
		docs = db.get_doccount();
		width = std::max<uint64_t>(1, std::min<uint64_t>(run, last / (every * 64)));
		span = width * every;
		phase = std::hash<std::string>()(db.get_uuid()) % span;
		at = 0;
	}
	Xapian::doccount get_termfreq_min() const override { return 0; }
	Xapian::doccount get_termfreq_est() const override { return (Xapian::doccount)(docs / every); }
	Xapian::doccount get_termfreq_max() const override { return docs; }
	void next(double) override { at = first_from(at + 1); }
	void skip_to(Xapian::docid did, double) override
	{
		if (did > at)
			at = first_from(did);
	}
	bool at_end() const override { return at > last; }
	Xapian::docid get_docid() const override { return (Xapian::docid)at; }
	SampleRuns *clone() const override { return new SampleRuns((Xapian::docid)every, (Xapian::docid)run); }
};

// The packed facet values of a local index, by docid, read once from the
// value stream and then only extended: a version's facets never change,
// and docids are not reused. Matches are then counted without reading
// each one's value. One per handle, which one thread uses at a time; not
// for databases combined, whose matches a spy sees by their docids in
// their own database.
struct FacetTable {
	std::string uuid;          // of the database read
	Xapian::docid last = 0;    // its last docid read
	std::vector<uint16_t> ids; // by docid: 0 for none, else values[id - 1]
	std::vector<std::string> values;
	std::unordered_map<std::string, uint16_t> known;
	bool usable = true; // false past 65,535 distinct values

	// Brought to db's newest documents.
	void refresh(const Xapian::Database &db)
	{
		std::string u = db.get_uuid();
		Xapian::docid newest = db.get_lastdocid(), from = last + 1;
		if (u != uuid || newest < last) {
			*this = FacetTable();
			uuid = u;
			from = 1;
		}
		if (newest == last || !usable)
			return;
		ids.resize((size_t)newest + 1, 0);
		Xapian::ValueIterator v = db.valuestream_begin(VG_SLOT_FACETS), end = db.valuestream_end(VG_SLOT_FACETS);
		if (v != end && from > 1)
			v.skip_to(from);
		for (; v != end && usable; ++v) {
			std::string value = *v;
			auto at = known.find(value);
			if (at == known.end()) {
				if (values.size() >= 0xffff) {
					*this = FacetTable();
					uuid = u;
					usable = false; // until another database
					break;
				}
				values.push_back(value);
				at = known.emplace(value, (uint16_t)values.size()).first;
			}
			ids[v.get_docid()] = at->second;
		}
		last = newest;
	}
};

// Counts the matches' facet values from a FacetTable.
class TableFacetSpy : public Xapian::MatchSpy {
	const FacetTable &table;
	std::vector<unsigned> counts;

      public:
	explicit TableFacetSpy(const FacetTable &t) : table(t), counts(t.values.size() + 1, 0) {}
	void operator()(const Xapian::Document &doc, double) override
	{
		Xapian::docid did = doc.get_docid();
		counts[did < table.ids.size() ? table.ids[did] : 0]++;
	}
	// Each value counted, times scale.
	void add_to(FacetCounts &f, double scale) const
	{
		for (size_t id = 1; id < counts.size(); id++)
			if (counts[id])
				f.add(table.values[id - 1], (unsigned)(counts[id] * scale + 0.5));
	}
};

vg_xmset::~vg_xmset()
{
	delete spy;
	delete facets;
}

static char *dup_string(const std::string &s)
{
	char *p = static_cast<char *>(std::malloc(s.size() + 1));
	if (!p)
		throw std::bad_alloc();
	std::memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return p;
}

// A malloc'd array of malloc'd copies of v, for callers that free both;
// throws bad_alloc, having freed what it made.
static void string_array(const std::vector<std::string> &v, char ***out, size_t *n)
{
	*out = nullptr;
	*n = 0;
	if (v.empty())
		return;
	char **a = static_cast<char **>(std::calloc(v.size(), sizeof(char *)));
	if (!a)
		throw std::bad_alloc();
	for (size_t i = 0; i < v.size(); i++) {
		a[i] = static_cast<char *>(std::malloc(v[i].size() + 1));
		if (!a[i]) {
			for (size_t k = 0; k < i; k++)
				std::free(a[k]);
			std::free(a);
			throw std::bad_alloc();
		}
		std::memcpy(a[i], v[i].c_str(), v[i].size() + 1);
	}
	*out = a;
	*n = v.size();
}

// A full disk is said as such, in French; Xapian's English only as detail.
static int database_error(const Xapian::DatabaseError &e, vg_err *err)
{
	const char *why = e.get_error_string();
	if (why && (std::strstr(why, "No space left") || std::strstr(why, "Disk quota")))
		return vg_err_set(err, VG_EIO, "disque plein : l'index ne peut plus être écrit (%s)",
		                  e.get_description().c_str());
	return vg_err_set(err, VG_EIO, "erreur de l'index : %s", e.get_description().c_str());
}

// One catch list for every entry point.
#define SHIM_TRY try {
#define SHIM_CATCH(err)                                                               \
	}                                                                             \
	catch (const Xapian::DatabaseLockError &e)                                    \
	{                                                                             \
		return vg_err_set(err, VG_ELOCKED,                                    \
		                  "index verrouillé par une autre mise à jour (%s)",  \
		                  e.get_msg().c_str());                               \
	}                                                                             \
	catch (const Xapian::DatabaseNotFoundError &e)                                \
	{                                                                             \
		return vg_err_set(err, VG_ENOTFOUND, "index introuvable : %s",        \
		                  e.get_msg().c_str());                               \
	}                                                                             \
	catch (const Xapian::DatabaseCorruptError &e)                                 \
	{                                                                             \
		return vg_err_set(err, VG_ECORRUPT, "index endommagé : %s",           \
		                  e.get_msg().c_str());                               \
	}                                                                             \
	catch (const Xapian::DocNotFoundError &e)                                     \
	{                                                                             \
		return vg_err_set(err, VG_ENOTFOUND, "document introuvable : %s",     \
		                  e.get_msg().c_str());                               \
	}                                                                             \
	catch (const Xapian::DatabaseError &e)                                        \
	{                                                                             \
		return database_error(e, err);                                        \
	}                                                                             \
	catch (const Xapian::NetworkError &e)                                         \
	{                                                                             \
		return vg_err_set(err, VG_EUNREACHABLE, "index distant injoignable : %s", \
		                  e.get_msg().c_str());                               \
	}                                                                             \
	catch (const Xapian::Error &e)                                                \
	{                                                                             \
		return vg_err_set(err, VG_EINTERNAL, "erreur Xapian : %s",              \
		                  e.get_description().c_str());                       \
	}                                                                             \
	catch (const std::bad_alloc &)                                                \
	{                                                                             \
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");            \
	}                                                                             \
	catch (...)                                                                   \
	{                                                                             \
		return vg_err_set(err, VG_EINTERNAL, "erreur inattendue dans Xapian");  \
	}

/* ---- databases ---------------------------------------------------------- */

int vg_xdb_open(vg_xdb **out, const char *path, int mode, vg_err *err) noexcept
{
	*out = nullptr;
	vg_xdb *x = nullptr;
	SHIM_TRY
	x = new vg_xdb;
	if (mode & VG_XDB_WRITE) {
		int flags = Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS;
		if (mode & VG_XDB_WAIT)
			flags |= Xapian::DB_RETRY_LOCK;
		if (mode & VG_XDB_BULK)
			flags |= Xapian::DB_NO_SYNC;
		x->wdb = new Xapian::WritableDatabase(path, flags);
		x->db = x->wdb;
	} else if (std::strncmp(path, "tcp://", 6) == 0) {
		// An index served by xapian-tcpsrv on another machine.
		std::string where(path + 6);
		size_t colon = where.rfind(':');
		char *end = nullptr;
		unsigned long port = colon == std::string::npos ? 0 : std::strtoul(where.c_str() + colon + 1, &end, 10);
		if (!port || port > 65535 || !end || *end) {
			delete x;
			return vg_err_set(err, VG_EINVAL, "index distant invalide « %s » : tcp://HÔTE:PORT attendu", path);
		}
		x->db = new Xapian::Database(Xapian::Remote::open(where.substr(0, colon), (unsigned)port,
		                                                  VG_REMOTE_TIMEOUT_MS, VG_REMOTE_CONNECT_MS));
		x->remote = true;
	} else {
		x->db = new Xapian::Database(path);
	}
	*out = x;
	return 0;
	}
	catch (...) {
		if (x && x->db)
			delete x->db;
		delete x;
		try {
			throw;
		SHIM_CATCH(err)
	}
}

void vg_xdb_free(vg_xdb *db) noexcept
{
	if (!db)
		return;
	try {
		if (db->wdb)
			db->wdb->close();
	} catch (...) {
		// Closing drops uncommitted changes, which is what an abandoned
		// writer wants; nothing else can be done here.
	}
	delete db->db;
	delete db;
}

int vg_xdb_combine(vg_xdb **out, vg_xdb *const *parts, size_t n, vg_err *err) noexcept
{
	*out = nullptr;
	vg_xdb *x = nullptr;
	SHIM_TRY
	x = new vg_xdb;
	x->db = new Xapian::Database();
	for (size_t i = 0; i < n; i++) {
		x->db->add_database(*parts[i]->db);
		x->part_uuids.push_back(parts[i]->db->get_uuid());
		x->remote = x->remote || parts[i]->remote;
	}
	*out = x;
	return 0;
	}
	catch (...) {
		if (x)
			delete x->db;
		delete x;
		try {
			throw;
		SHIM_CATCH(err)
	}
}

int vg_xdb_reopen(vg_xdb *db, int *changed, vg_err *err) noexcept
{
	SHIM_TRY
	*changed = db->db->reopen() ? 1 : 0;
	return 0;
	SHIM_CATCH(err)
}

int vg_xdb_get_meta(vg_xdb *db, const char *key, char **val, size_t *len, vg_err *err) noexcept
{
	*val = nullptr;
	SHIM_TRY
	std::string v = db->db->get_metadata(key);
	*val = dup_string(v);
	if (len)
		*len = v.size();
	return 0;
	SHIM_CATCH(err)
}

int vg_xdb_set_meta(vg_xdb *db, const char *key, const char *val, size_t len, vg_err *err) noexcept
{
	SHIM_TRY
	db->wdb->set_metadata(key, std::string(val, len));
	return 0;
	SHIM_CATCH(err)
}

int vg_xdb_begin(vg_xdb *db, vg_err *err) noexcept
{
	SHIM_TRY
	db->wdb->begin_transaction(true);
	return 0;
	SHIM_CATCH(err)
}

int vg_xdb_commit(vg_xdb *db, vg_err *err) noexcept
{
	SHIM_TRY
	for (auto &s : db->spelling)
		db->wdb->add_spelling(s.first, s.second);
	db->spelling.clear();
	db->wdb->commit_transaction();
	return 0;
	SHIM_CATCH(err)
}

int vg_xdb_cancel(vg_xdb *db, vg_err *err) noexcept
{
	SHIM_TRY
	db->spelling.clear();
	db->wdb->cancel_transaction();
	return 0;
	SHIM_CATCH(err)
}

int vg_xdb_count(vg_xdb *db, const char *term, unsigned *count, vg_err *err) noexcept
{
	SHIM_TRY
	*count = term ? db->db->get_termfreq(term) : db->db->get_doccount();
	return 0;
	SHIM_CATCH(err)
}

int vg_xdb_postings(vg_xdb *db, const char *term, unsigned **ids, size_t *n, vg_err *err) noexcept
{
	*ids = nullptr;
	*n = 0;
	SHIM_TRY
	std::vector<unsigned> v;
	for (auto it = db->db->postlist_begin(term); it != db->db->postlist_end(term); ++it)
		v.push_back(*it);
	if (v.empty())
		return 0;
	*ids = static_cast<unsigned *>(std::malloc(v.size() * sizeof(unsigned)));
	if (!*ids)
		throw std::bad_alloc();
	std::copy(v.begin(), v.end(), *ids);
	*n = v.size();
	return 0;
	SHIM_CATCH(err)
}

int vg_xdb_match_all(vg_xdb *db, const char *const *terms, size_t n, unsigned **ids,
                     size_t *count, vg_err *err) noexcept
{
	*ids = nullptr;
	*count = 0;
	SHIM_TRY
	if (n == 0)
		return 0;
	std::vector<Xapian::Query> qs;
	for (size_t i = 0; i < n; i++)
		qs.push_back(Xapian::Query(terms[i]));
	Xapian::Enquire e(*db->db);
	e.set_query(Xapian::Query(Xapian::Query::OP_AND, qs.begin(), qs.end()));
	e.set_weighting_scheme(Xapian::BoolWeight());
	e.set_docid_order(Xapian::Enquire::ASCENDING);
	Xapian::MSet m = e.get_mset(0, db->db->get_doccount());
	if (m.empty())
		return 0;
	*ids = static_cast<unsigned *>(std::malloc(m.size() * sizeof(unsigned)));
	if (!*ids)
		throw std::bad_alloc();
	size_t i = 0;
	for (auto it = m.begin(); it != m.end(); ++it)
		(*ids)[i++] = *it;
	*count = i;
	return 0;
	SHIM_CATCH(err)
}

// The longest word the spelling dictionary holds.
static const size_t SPELLING_WORD_MAX = 40;

// Words worth suggesting: unprefixed, unstemmed, alphabetic, 3 to 40 bytes.
static bool spelling_word(const std::string &t)
{
	if (t.size() < 3 || t.size() > SPELLING_WORD_MAX || !(t[0] >= 'a' && t[0] <= 'z'))
		return false;
	for (char c : t)
		if (c >= '0' && c <= '9')
			return false;
	return true;
}

int vg_xdb_add(vg_xdb *db, vg_xdoc *doc, unsigned *docid, vg_err *err) noexcept
{
	SHIM_TRY
	Xapian::docid id = db->wdb->add_document(doc->doc);
	if (docid)
		*docid = id;
	if (db->spelling_deferred)
		return 0;
	for (auto it = doc->doc.termlist_begin(); it != doc->doc.termlist_end(); ++it) {
		const std::string &t = *it;
		if (spelling_word(t))
			db->spelling[t]++;
	}
	return 0;
	SHIM_CATCH(err)
}

int vg_xdb_replace(vg_xdb *db, unsigned docid, vg_xdoc *doc, vg_err *err) noexcept
{
	SHIM_TRY
	db->wdb->replace_document(docid, doc->doc);
	return 0;
	SHIM_CATCH(err)
}

int vg_xdb_get(vg_xdb *db, unsigned docid, vg_xdoc **out, vg_err *err) noexcept
{
	*out = nullptr;
	vg_xdoc *d = nullptr;
	SHIM_TRY
	d = new vg_xdoc;
	d->doc = db->db->get_document(docid);
	*out = d;
	return 0;
	}
	catch (...) {
		delete d;
		try {
			throw;
		SHIM_CATCH(err)
	}
}

void vg_xdb_defer_spelling(vg_xdb *db) noexcept
{
	db->spelling_deferred = true;
}

int vg_xdb_build_spelling(vg_xdb *db, unsigned min_docs, vg_err *err) noexcept
{
	SHIM_TRY
	// Plain words sort between the digits and the upper-case prefixes.
	auto it = db->db->allterms_begin();
	for (it.skip_to("a"); it != db->db->allterms_end(); ++it) {
		const std::string &t = *it;
		if (t[0] > 'z')
			break;
		if (spelling_word(t) && it.get_termfreq() >= min_docs)
			db->wdb->add_spelling(t, it.get_termfreq());
	}
	return 0;
	SHIM_CATCH(err)
}

namespace {

// Edits (a byte inserted, deleted, replaced, or two swapped) from a to b,
// or limit + 1 when there are more than limit. Words of at most
// SPELLING_WORD_MAX bytes.
unsigned edit_distance(const std::string &a, const std::string &b, unsigned limit)
{
	size_t n = a.size(), m = b.size();
	if ((n > m ? n - m : m - n) > limit || n > SPELLING_WORD_MAX || m > SPELLING_WORD_MAX)
		return limit + 1;
	unsigned rows[3][SPELLING_WORD_MAX + 1];
	unsigned *before = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= m; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = (unsigned)i;
		unsigned row_min = cur[0];
		for (size_t j = 1; j <= m; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
				cur[j] = std::min(cur[j], before[j - 2] + 1);
			row_min = std::min(row_min, cur[j]);
		}
		if (row_min > limit)
			return limit + 1;
		unsigned *oldest = before;
		before = prev;
		prev = cur;
		cur = oldest;
	}
	return std::min(prev[m], limit + 1);
}

// A word of the context, by its stem ("regies" counts as "regie"), and
// the number of documents holding it.
struct ContextTerm {
	std::string term;
	Xapian::doccount freq;
};

// The words of the context that tell most of what is meant: the stems of
// the rarest few.
std::vector<ContextTerm> telling_context(vg_xdb *db, const std::vector<std::string> &words)
{
	std::vector<ContextTerm> terms;
	for (const std::string &w : words) {
		std::string term = "Z" + db->stem(w);
		Xapian::doccount freq = db->db->get_termfreq(term);
		bool seen = std::any_of(terms.begin(), terms.end(), [&term](const ContextTerm &t) { return t.term == term; });
		if (freq && !seen)
			terms.push_back({term, freq});
	}
	std::sort(terms.begin(), terms.end(), [](const ContextTerm &a, const ContextTerm &b) { return a.freq < b.freq; });
	if (terms.size() > 3)
		terms.resize(3);
	return terms;
}

// How likely a word is meant among the context's words, as a noisy
// channel weighs it: its frequency, times how much more often than by
// chance each context word's documents hold its stem. A frequent stem's
// documents are read up to a bound, and what they show is scaled to all.
double likelihood(vg_xdb *db, const std::string &word, const std::vector<ContextTerm> &context)
{
	const unsigned MAX_READ = 500;
	std::vector<Xapian::PostingIterator> in;
	std::vector<unsigned> met(context.size());
	for (const ContextTerm &c : context)
		in.push_back(db->db->postlist_begin(c.term));
	unsigned read = 0;
	std::string term = "Z" + db->stem(word);
	for (Xapian::PostingIterator p = db->db->postlist_begin(term); p != db->db->postlist_end(term) && read < MAX_READ;
	     ++p, ++read)
		for (size_t i = 0; i < in.size(); i++) {
			if (in[i] == db->db->postlist_end(context[i].term))
				continue;
			in[i].skip_to(*p);
			if (in[i] != db->db->postlist_end(context[i].term) && *in[i] == *p)
				met[i]++;
		}
	double freq = db->db->get_termfreq(term), docs = db->db->get_doccount();
	if (!read || docs <= 0)
		return -HUGE_VAL;
	// The prior is the word's own frequency: a stem may be a stop word's
	// ("sures" is "sur").
	double score = std::log(db->db->get_termfreq(word) + 1.0);
	for (size_t i = 0; i < context.size(); i++) {
		double together = met[i] * freq / read, by_chance = freq * context[i].freq / docs;
		score += std::log((together + 0.5) / (by_chance + 0.5));
	}
	return score;
}

// Whether the spelling dictionary holds word.
bool in_spelling(const Xapian::Database &db, const std::string &word)
{
	Xapian::TermIterator it = db.spellings_begin();
	it.skip_to(word);
	return it != db.spellings_end() && *it == word;
}

// The stop word of 5 letters or more one edit from word ("combiien",
// "omment"), or NULL: a question's word mistyped, not a word of its
// subject.
const char *mistyped_stopword(const std::string &word)
{
	for (const char *const *s = vg_text_stopwords; *s; s++) {
		size_t n = std::strlen(*s);
		// Not an elided form ("lorsqu"), which is never written alone.
		if (n >= 5 && std::strcmp(*s + n - 2, "qu") != 0 && edit_distance(word, *s, 1) <= 1)
			return *s;
	}
	return nullptr;
}

} // namespace

int vg_xdb_spelling(vg_xdb *db, const char *word, const char *const *context, size_t n_context, char **out,
                    vg_err *err) noexcept
{
	*out = nullptr;
	SHIM_TRY
	// A question's word mistyped ("combiien", "omment") that no word of
	// the documents is as close to is that word. A remote index sends no
	// spelling data: then there is no suggestion at all.
	std::string typed = word, best = db->db->get_spelling_suggestion(typed, 2);
	const char *stop = db->remote ? nullptr : mistyped_stopword(typed);
	if (best.empty() || vg_text_is_stopword(best.c_str())) {
		if (!best.empty() || stop)
			*out = dup_string(best.empty() ? stop : best.c_str());
		return 0;
	}
	// The dictionary's choice is the most frequent of the closest words;
	// the words as close compete with it, and the one most likely beside
	// the rest of the query wins ("regie d avence": "avance", not the
	// commoner "agence"). They are looked for among the dictionary's words
	// of the same initial or second letter (the first two swapped,
	// "hcercher") by a bounded scan, and among the words one edit of the
	// initial away ("degie": "regie"); a remote index would have to send
	// them all: not there.
	unsigned closest = std::min(edit_distance(typed, best, 2), 2u);
	std::vector<std::string> candidates{best};
	auto consider = [&](const std::string &t) {
		if (t == typed || std::find(candidates.begin(), candidates.end(), t) != candidates.end())
			return;
		unsigned d = edit_distance(typed, t, closest);
		if (d > closest || vg_text_is_stopword(t.c_str()))
			return;
		if (d < closest) {
			closest = d;
			candidates.clear();
		}
		candidates.push_back(t);
	};
	if (!db->remote) {
		std::string initials = typed.substr(0, 1);
		if (typed.size() > 1 && typed[1] != typed[0])
			initials += typed[1];
		for (char initial : initials) {
			unsigned scanned = 0;
			Xapian::TermIterator it = db->db->spellings_begin();
			for (it.skip_to(std::string(1, initial)); it != db->db->spellings_end() && scanned < 20000;
			     ++it, ++scanned) {
				if ((*it)[0] != initial)
					break;
				consider(*it);
			}
		}
		for (char c = 'a'; c <= 'z'; c++) {
			for (const std::string &t : {c + typed.substr(1), c + typed})
				if (t[0] != typed[0] && in_spelling(*db->db, t))
					consider(t);
		}
		if (typed.size() > 1 && in_spelling(*db->db, typed.substr(1)))
			consider(typed.substr(1));
		if (stop && closest > 1) {
			*out = dup_string(stop);
			return 0;
		}
	}
	if (candidates.size() > 1) {
		std::vector<std::string> ctx;
		for (size_t i = 0; i < n_context; i++)
			if (typed != context[i])
				ctx.push_back(context[i]);
		std::vector<ContextTerm> telling = telling_context(db, ctx);
		double best_score = -HUGE_VAL;
		for (const std::string &c : candidates) {
			double score = likelihood(db, c, telling);
			if (score > best_score) {
				best_score = score;
				best = c;
			}
		}
	} else {
		best = candidates[0];
	}
	*out = dup_string(best);
	return 0;
	SHIM_CATCH(err)
}

int vg_xdb_complete(vg_xdb *db, const char *prefix, unsigned limit, char ***words, size_t *n,
                    vg_err *err) noexcept
{
	*words = nullptr;
	*n = 0;
	SHIM_TRY
	std::vector<std::pair<Xapian::doccount, std::string>> found;
	unsigned seen = 0;
	// Plain words only; stop after a bounded scan of the vocabulary.
	for (auto it = db->db->allterms_begin(prefix); it != db->db->allterms_end(prefix) && seen < 5000;
	     ++it, ++seen)
		if (spelling_word(*it))
			found.push_back(std::make_pair(it.get_termfreq(), *it));
	std::sort(found.begin(), found.end(),
	          [](const std::pair<Xapian::doccount, std::string> &a,
	             const std::pair<Xapian::doccount, std::string> &b) {
		          return a.first != b.first ? a.first > b.first : a.second < b.second;
	          });
	if (found.size() > limit)
		found.resize(limit);
	std::vector<std::string> sorted;
	for (auto &f : found)
		sorted.push_back(f.second);
	string_array(sorted, words, n);
	return 0;
	SHIM_CATCH(err)
}

int vg_xdb_prefixed(vg_xdb *db, const char *prefix, char ***terms, size_t *n, vg_err *err) noexcept
{
	*terms = nullptr;
	*n = 0;
	SHIM_TRY
	std::vector<std::string> found;
	const size_t plen = std::strlen(prefix);
	for (auto it = db->db->allterms_begin(prefix); it != db->db->allterms_end(prefix) && found.size() < 1000;) {
		const std::string &t = *it;
		// A capital after the prefix starts a longer prefix ("XDIR" after
		// "XD"), whose terms may be many: skipped at once.
		if (t.size() > plen && t[plen] >= 'A' && t[plen] <= 'Z') {
			it.skip_to(t.substr(0, plen) + (char)('Z' + 1));
			continue;
		}
		found.push_back(t);
		++it;
	}
	string_array(found, terms, n);
	return 0;
	SHIM_CATCH(err)
}

/* ---- documents ---------------------------------------------------------- */

int vg_xdoc_new(vg_xdoc **out, vg_err *err) noexcept
{
	*out = nullptr;
	SHIM_TRY
	*out = new vg_xdoc;
	return 0;
	SHIM_CATCH(err)
}

void vg_xdoc_free(vg_xdoc *doc) noexcept
{
	delete doc;
}

int vg_xdoc_add_term(vg_xdoc *doc, const char *term, unsigned wdf, vg_err *err) noexcept
{
	SHIM_TRY
	std::string t(term);
	if (t.size() > 240)
		t.resize(240);
	if (wdf == 0)
		doc->doc.add_boolean_term(t);
	else
		doc->doc.add_term(t, wdf);
	return 0;
	SHIM_CATCH(err)
}

int vg_xdoc_remove_term(vg_xdoc *doc, const char *term, vg_err *err) noexcept
{
	SHIM_TRY
	try {
		doc->doc.remove_term(term);
	} catch (const Xapian::InvalidArgumentError &) {
		// Not there: nothing to remove.
	}
	return 0;
	SHIM_CATCH(err)
}

int vg_xdoc_set_value(vg_xdoc *doc, unsigned slot, const char *val, size_t len, vg_err *err) noexcept
{
	SHIM_TRY
	doc->doc.add_value(slot, std::string(val, len));
	return 0;
	SHIM_CATCH(err)
}

int vg_xdoc_get_value(vg_xdoc *doc, unsigned slot, char **val, size_t *len, vg_err *err) noexcept
{
	*val = nullptr;
	SHIM_TRY
	std::string v = doc->doc.get_value(slot);
	*val = dup_string(v);
	if (len)
		*len = v.size();
	return 0;
	SHIM_CATCH(err)
}

int vg_xdoc_set_number(vg_xdoc *doc, unsigned slot, double v, vg_err *err) noexcept
{
	SHIM_TRY
	doc->doc.add_value(slot, Xapian::sortable_serialise(v));
	return 0;
	SHIM_CATCH(err)
}

double vg_xdoc_get_number(vg_xdoc *doc, unsigned slot, double def) noexcept
{
	try {
		std::string v = doc->doc.get_value(slot);
		return v.empty() ? def : Xapian::sortable_unserialise(v);
	} catch (...) {
		return def;
	}
}

int vg_xdoc_set_data(vg_xdoc *doc, const char *data, size_t len, vg_err *err) noexcept
{
	SHIM_TRY
	doc->doc.set_data(std::string(data, len));
	return 0;
	SHIM_CATCH(err)
}

int vg_xdoc_get_data(vg_xdoc *doc, char **data, size_t *len, vg_err *err) noexcept
{
	*data = nullptr;
	SHIM_TRY
	std::string d = doc->doc.get_data();
	*data = dup_string(d);
	*len = d.size();
	return 0;
	SHIM_CATCH(err)
}

/* ---- term generation ------------------------------------------------------ */

int vg_xgen_new(vg_xgen **out, vg_err *err) noexcept
{
	*out = nullptr;
	SHIM_TRY
	*out = new vg_xgen;
	return 0;
	SHIM_CATCH(err)
}

void vg_xgen_free(vg_xgen *gen) noexcept
{
	delete gen;
}

int vg_xgen_index(vg_xgen *gen, vg_xdoc *doc, const char *folded, size_t len,
                  unsigned wdf_inc, const char *prefix, unsigned flags, vg_err *err) noexcept
{
	SHIM_TRY
	Indexing indexing(gen, doc->doc);
	// set_document starts positions again at 0.
	gen->tg.set_termpos(doc->next_pos);
	Xapian::Utf8Iterator text(folded, len);
	if (flags & VG_XGEN_NO_POSITIONS)
		gen->tg.index_text_without_positions(text, wdf_inc, prefix ? prefix : "");
	else
		gen->tg.index_text(text, wdf_inc, prefix ? prefix : "");
	doc->next_pos = gen->tg.get_termpos() + 100;
	return 0;
	SHIM_CATCH(err)
}


/* ---- search ----------------------------------------------------------------- */

namespace {

// The words of a text as the indexer reads them, by its TermGenerator (the
// same word characters, the same punctuation inside words: "c++",
// "aujourd'hui", "10,5"), in order.
std::vector<std::string> words_of(const std::string &text)
{
	Xapian::Document d;
	Xapian::TermGenerator tg;
	tg.set_document(d);
	tg.index_text(text);
	std::vector<std::pair<Xapian::termpos, std::string>> at;
	for (Xapian::TermIterator t = d.termlist_begin(); t != d.termlist_end(); ++t)
		for (Xapian::PositionIterator p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
			at.emplace_back(*p, *t);
	std::sort(at.begin(), at.end());
	std::vector<std::string> words;
	for (const auto &w : at)
		words.push_back(w.second);
	return words;
}

// Whether the indexer stemmed a word (TermGenerator's STEM_SOME): those
// that begin with a letter, not a digit.
bool stemmed(const std::string &word)
{
	const unsigned letters = (1u << Xapian::Unicode::LOWERCASE_LETTER) | (1u << Xapian::Unicode::TITLECASE_LETTER) |
	                         (1u << Xapian::Unicode::MODIFIER_LETTER) | (1u << Xapian::Unicode::OTHER_LETTER);
	Xapian::Utf8Iterator u(word);
	return u != Xapian::Utf8Iterator() && ((letters >> Xapian::Unicode::get_category(*u)) & 1);
}

// The groups of three digits that French writes a number of four digits
// or more in ("3750" → "3", "750"), or the number alone when it is not
// one (a word, a leading zero, a dozen digits).
std::vector<std::string> grouped_number(const std::string &w)
{
	if (w.size() < 4 || w.size() > 12 || w[0] == '0' ||
	    !std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }))
		return {w};
	std::vector<std::string> groups;
	size_t first = w.size() % 3 ? w.size() % 3 : 3;
	groups.push_back(w.substr(0, first));
	for (size_t i = first; i < w.size(); i += 3)
		groups.push_back(w.substr(i, 3));
	return groups;
}

bool all_upper(const std::string &w)
{
	return std::none_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// The words of the index that a query looks up, each once: the query
// that ranks and the one that only counts are built from the same
// look-ups, which are requests to a remote index.
struct Vocabulary {
	const Xapian::Database &db;
	std::map<std::string, bool> known;
	std::map<std::string, Xapian::Query> forms;

	bool has(const std::string &term)
	{
		auto it = known.find(term);
		return it != known.end() ? it->second : (known[term] = db.term_exists(term));
	}

	// A word of a phrase in its forms that the documents use and that
	// share its stem: singular and plural, masculine and feminine
	// ("agents specialises" for "agent specialise", "locaux" for
	// "local"). One scan of the words that begin with it, and one
	// look-up for a form without its last letters.
	Xapian::Query inflected(const Xapian::Stem &stem, const std::string &prefix, const std::string &w)
	{
		const size_t shortest = 3, longer_by = 2, scanned = 32;
		const std::string begin = prefix + w;
		auto cached = forms.find(begin);
		if (cached != forms.end())
			return cached->second;
		std::vector<Xapian::Query> used{Xapian::Query(begin)};
		if (w.size() >= shortest && stemmed(w)) {
			const std::string root = stem(w);
			size_t seen = 0;
			for (Xapian::TermIterator t = db.allterms_begin(begin); t != db.allterms_end(begin) && seen < scanned;
			     ++t, ++seen) {
				std::string form = (*t).substr(prefix.size());
				if (form != w && form.size() <= w.size() + longer_by && stem(form) == root)
					used.push_back(Xapian::Query(*t));
			}
			std::string shorter;
			if (w.back() == 's' || w.back() == 'x')
				shorter = w.substr(0, w.size() - 1);
			else if (w.compare(w.size() - 2, 2, "al") == 0)
				shorter = w.substr(0, w.size() - 2) + "aux";
			if (!shorter.empty() && has(prefix + shorter) && stem(shorter) == root)
				used.push_back(Xapian::Query(prefix + shorter));
		}
		return forms[begin] = used.size() == 1 ? used[0]
		                                       : Xapian::Query(Xapian::Query::OP_OR, used.begin(), used.end());
	}
};

// One expression of a group of synonyms: a word is stemmed unless it is
// an acronym ("DUER" is not "du"), several words are a phrase of their
// forms that allows two words more between them ("contrat de travail a
// duree indeterminee" for "contrat a duree indeterminee").
Xapian::Query expression(Vocabulary &vocab, const Xapian::Stem &stem, const std::string &expr)
{
	std::vector<Xapian::Query> words;
	std::istringstream in(expr);
	for (std::string w; in >> w;)
		words.push_back(vocab.inflected(stem, "", w));
	if (words.size() > 1)
		return Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
		                     (Xapian::termcount)words.size() + 2);
	if (all_upper(expr))
		return Xapian::Query(Xapian::Unicode::tolower(expr));
	return Xapian::Query("Z" + stem(expr));
}

// Keeps plain words and their stems for "more like this".
class WordsOnly : public Xapian::ExpandDecider {
      public:
	bool operator()(const std::string &t) const override
	{
		if (t.empty())
			return false;
		if (t[0] == 'Z')
			return t.size() > 3 && t[1] >= 'a' && t[1] <= 'z';
		return t.size() > 2 && t[0] >= 'a' && t[0] <= 'z' && !vg_text_is_stopword(t.c_str());
	}
};

// A document that holds every clause (word, phrase, group of synonyms,
// reference) of a plain query gets this weight: more than the text weights
// of a whole query can sum to, so that such documents rank first.
const double ALL_WORDS_WEIGHT = 1000.0;
// Below them, each clause a document matches adds this weight, of the
// order of one word's BM25 weight: documents holding more of the words
// come first unless fewer, rarer and more frequent words weigh more. A
// strict order by the number of words matched (as for ALL_WORDS_WEIGHT)
// puts long texts that happen to hold the question's common words first.
const double CLAUSE_WEIGHT = 0.5;
// The word as typed weighs more than another word of its stem.
const double EXACT_FORM_FACTOR = 0.5;
// A word of the same derivational family ("modification" for "modifier")
// weighs less than the word's own forms.
const double DERIVED_FACTOR = 0.5;
// A word of the same meaning from the thesaurus weighs less still, and
// does not count as the word for the coordination.
const double ALTERNATIVE_FACTOR = 0.3;
// The article a reference names ranks first, above the texts that cite it
// and hold every other word: "L1234-9 du code du travail", "article L
// 1234-9 alinéa 2" ask for the article.
const double ARTICLE_WEIGHT = ALL_WORDS_WEIGHT * 1.5;
// A question asking for a quantity ("combien de jours", "quel age") ranks
// the documents that state one of its kind this much higher.
const double QUANTITY_WEIGHT = CLAUSE_WEIGHT;
// Folder index pages (README.md of a code's levels) rank below the
// articles they list: the others get this much more, nearly as much as
// holding every word.
const double CONTENT_WEIGHT = ALL_WORDS_WEIGHT * 0.99;
// A broad search's facets are counted on a sample of about this share of
// the number it may count one by one (vg_xsearch.exact_counts).
const Xapian::doccount SAMPLE_SHARE = 4;

// A word's clause: its stem (in the field of prefix), with the word as
// typed weighing more, and the words of its derivational family less.
// Only to match (lean): the word as typed is one of its stem's documents.
Xapian::Query with_exact_forms(Vocabulary &vocab, const Xapian::Stem &stemmer, const std::string &prefix,
                               const std::string &word, bool lean)
{
	std::string term = "Z" + prefix + stemmer(word);
	Xapian::Query q(term);
	std::vector<Xapian::Query> forms{q};
	std::string exact = prefix + word;
	if (!lean && vocab.has(exact))
		forms.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(exact), EXACT_FORM_FACTOR));
	char derived[16][VG_WORD_MAX];
	size_t nd = vg_text_derivations(word.c_str(), derived, 16);
	for (size_t i = 0; i < nd; i++) {
		std::string stem = "Z" + prefix + stemmer(derived[i]);
		if (stem != term && vocab.has(prefix + derived[i]))
			forms.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(stem), DERIVED_FACTOR));
	}
	return forms.size() == 1 ? q : Xapian::Query(Xapian::Query::OP_OR, forms.begin(), forms.end());
}

// A word that names a quantity ("age", "duree", "taux") is also matched
// by the documents that state one of its kind ("seize ans", "deux mois",
// "10 %"), which need not use the word.
Xapian::Query with_quantity_named(const Xapian::Query &clause, const std::string &words)
{
	std::istringstream in(words);
	for (std::string w; in >> w;) {
		const char *term = vg_quantity_term(vg_quantity_named(w.c_str()));
		if (term)
			return Xapian::Query(Xapian::Query::OP_OR, clause, Xapian::Query(term));
	}
	return clause;
}

std::string clause_words(const Xapian::Query &q)
{
	std::string words;
	for (Xapian::TermIterator t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t) {
		std::string w = *t;
		size_t p = w[0] == 'Z' ? 1 : 0;
		while (p < w.size() && w[p] >= 'A' && w[p] <= 'Z')
			p++;
		if (!words.empty())
			words += ' ';
		words += w.substr(p);
	}
	return words;
}

// Turns the query's tree (query.h) into Xapian's.
struct Builder {
	Vocabulary &vocab;
	const Xapian::Stem &stem;
	const vg_xsearch *spec;
	// A plain query's clauses and the words each came from.
	std::vector<Xapian::Query> &clauses;
	std::vector<std::string> &words;
	// Only which documents match, not how much they weigh.
	bool lean;

	// Words in order (a phrase when several), in the field of prefix.
	static Xapian::Query phrase(const std::vector<std::string> &ws, const std::string &prefix, Xapian::Query::op op,
	                            Xapian::termcount window)
	{
		std::vector<Xapian::Query> terms;
		for (const auto &w : ws)
			terms.push_back(Xapian::Query(prefix + w));
		if (terms.size() == 1)
			return terms[0];
		return Xapian::Query(op, terms.begin(), terms.end(), window);
	}

	// The stems of the words of text that say something (not "du", "de").
	std::vector<Xapian::Query> content_stems(const std::string &text) const
	{
		std::vector<Xapian::Query> stems;
		for (const auto &w : words_of(text))
			if (stemmed(w) && !vg_text_is_stopword(w.c_str()))
				stems.push_back(Xapian::Query("Z" + stem(w)));
		return stems;
	}

	// A clause of one word, phrase, reference, group of synonyms or
	// value; typed receives the words it stands for.
	Xapian::Query leaf(const vg_qnode *n, std::string &typed) const
	{
		std::string text = n->text ? n->text : "", prefix = n->prefix ? n->prefix : "";
		switch (n->kind) {
		case VG_Q_WORDS:
		case VG_Q_PHRASE: {
			std::vector<std::string> ws = words_of(text);
			for (const auto &w : ws)
				typed += (typed.empty() ? "" : " ") + w;
			if (ws.empty())
				return Xapian::Query();
			if (ws.size() == 1 && n->kind == VG_Q_WORDS && stemmed(ws[0]))
				return Xapian::Query("Z" + prefix + stem(ws[0]));
			if (ws.size() == 1 && n->kind == VG_Q_WORDS && grouped_number(ws[0]).size() > 1) {
				// A number typed in one piece is also the law's "3 750".
				std::vector<std::string> groups = grouped_number(ws[0]);
				return Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(prefix + ws[0]),
				                     phrase(groups, prefix, Xapian::Query::OP_PHRASE,
				                            (Xapian::termcount)groups.size()));
			}
			if (n->kind == VG_Q_WORDS) {
				// Words joined as one ("demi-pension"), in any of their
				// forms; a quoted phrase is as typed.
				std::vector<Xapian::Query> forms;
				for (const auto &w : ws)
					forms.push_back(vocab.inflected(stem, prefix, w));
				return Xapian::Query(Xapian::Query::OP_PHRASE, forms.begin(), forms.end(),
				                     (Xapian::termcount)ws.size());
			}
			return phrase(ws, prefix, Xapian::Query::OP_PHRASE, (Xapian::termcount)ws.size());
		}
		case VG_Q_PREFIX:
			typed = text;
			return Xapian::Query(Xapian::Query::OP_WILDCARD, prefix + text, 200, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
		case VG_Q_REF:
		case VG_Q_REF_FILTER:
			typed = text;
			return Xapian::Query("XREF" + text);
		case VG_Q_SYNONYMS: {
			const vg_strlist &groups = spec->query->groups;
			if (n->number >= groups.count)
				return Xapian::Query();
			std::string group = groups.items[n->number];
			std::vector<Xapian::Query> alts;
			std::set<std::string> seen; // "cantines" and "cantine" are one stem
			for (size_t start = 0; start <= group.size();) {
				size_t stop = std::min(group.find('\x1f', start), group.size());
				Xapian::Query alt = expression(vocab, stem, group.substr(start, stop - start));
				if (seen.insert(alt.get_description()).second)
					alts.push_back(alt);
				start = stop + 1;
			}
			typed = Xapian::Unicode::tolower(group.substr(0, group.find('\x1f')));
			// The words typed, in any of their forms and anywhere in the
			// text: a phrase matches only the forms it names ("voyages
			// scolaires" for "voyage scolaire"), since stems have no
			// positions.
			std::vector<Xapian::Query> stems = content_stems(typed);
			if (stems.size() > 1)
				alts.push_back(Xapian::Query(Xapian::Query::OP_AND, stems.begin(), stems.end()));
			// The expression as typed weighs more than the others: a
			// phrase as it is, a word in the very form typed.
			Xapian::Query as_typed = typed.find(' ') == std::string::npos ? Xapian::Query(typed) : alts[0];
			return Xapian::Query(Xapian::Query::OP_OR,
			                     Xapian::Query(Xapian::Query::OP_SYNONYM, alts.begin(), alts.end()),
			                     Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, as_typed, EXACT_FORM_FACTOR));
		}
		case VG_Q_VALUE:
			return Xapian::Query(prefix + text);
		case VG_Q_DATES:
			if (!*n->text)
				return Xapian::Query(Xapian::Query::OP_VALUE_LE, VG_SLOT_DATE, n->upto);
			if (!*n->upto)
				return Xapian::Query(Xapian::Query::OP_VALUE_GE, VG_SLOT_DATE, text);
			return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, VG_SLOT_DATE, text, n->upto);
		case VG_Q_ALL:
			// A query of its own: copies of the shared static MatchAll
			// change its reference count, which is not atomic, from every
			// thread at once.
			return Xapian::Query(std::string());
		case VG_Q_NEAR:
		case VG_Q_ADJ: {
			// Each word in its own field ("titre:budget NEAR initial").
			std::vector<std::string> ws;
			for (size_t i = 0; i < n->n_children; i++) {
				const vg_qnode *c = n->children[i];
				for (const auto &w : words_of(c->text ? c->text : ""))
					ws.push_back((c->prefix ? c->prefix : "") + w);
			}
			if (ws.empty())
				return Xapian::Query();
			return phrase(ws, "", n->kind == VG_Q_NEAR ? Xapian::Query::OP_NEAR : Xapian::Query::OP_PHRASE,
			              (Xapian::termcount)(n->number + ws.size() - 1));
		}
		default:
			return node(n);
		}
	}

	// Words of the same meaning that the search may also match for a
	// word ("word\x1fother" pairs of spec->alternatives), outside its
	// clause.
	Xapian::Query alternatives_of(const std::string &word) const
	{
		std::vector<Xapian::Query> alts;
		for (size_t i = 0; i < spec->n_alternatives; i++) {
			const char *pair = spec->alternatives[i], *sep = std::strchr(pair, '\x1f');
			if (sep && word.compare(0, std::string::npos, pair, (size_t)(sep - pair)) == 0)
				alts.push_back(Xapian::Query("Z" + stem(sep + 1)));
		}
		if (alts.empty())
			return Xapian::Query();
		return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
		                     Xapian::Query(Xapian::Query::OP_OR, alts.begin(), alts.end()), ALTERNATIVE_FACTOR);
	}

	// The words of an expression typed, each on its own: documents that
	// lack the whole expression ("réduction du temps de travail") still
	// match by its words, below those that hold it, and outside its clause.
	Xapian::Query words_apart(const std::string &typed) const
	{
		std::vector<Xapian::Query> stems = content_stems(typed);
		if (stems.size() < 2)
			return Xapian::Query();
		return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
		                     Xapian::Query(Xapian::Query::OP_OR, stems.begin(), stems.end()), ALTERNATIVE_FACTOR);
	}

	// A clause of a plain query: worth CLAUSE_WEIGHT when matched, plus
	// its text weight, a word's exact forms and derived words rewarded;
	// words of the same meaning add a little weight without matching it.
	Xapian::Query scored(const vg_qnode *n) const
	{
		std::string typed;
		Xapian::Query clause = leaf(n, typed), alts;
		if (clause.empty())
			return clause;
		if (clause.get_type() == Xapian::Query::LEAF_TERM && n->kind == VG_Q_WORDS &&
		    (*clause.get_terms_begin())[0] == 'Z') {
			clause = with_exact_forms(vocab, stem, n->prefix, typed, lean);
			clause = with_quantity_named(clause, typed);
			alts = alternatives_of(typed);
		} else if (n->kind == VG_Q_SYNONYMS) {
			alts = words_apart(typed);
		}
		if (lean)
			return alts.empty() ? clause : Xapian::Query(Xapian::Query::OP_OR, clause, alts);
		clauses.push_back(clause);
		words.push_back(typed.empty() ? clause_words(clause) : typed);
		Xapian::Query bonus((new Xapian::FixedWeightPostingSource(CLAUSE_WEIGHT))->release());
		Xapian::Query scored(Xapian::Query::OP_AND, clause, bonus);
		return alts.empty() ? scored : Xapian::Query(Xapian::Query::OP_OR, scored, alts);
	}

	static Xapian::Query join(Xapian::Query::op op, const std::vector<Xapian::Query> &qs)
	{
		if (qs.empty())
			return Xapian::Query();
		return qs.size() == 1 ? qs[0] : Xapian::Query(op, qs.begin(), qs.end());
	}

	// A run of clauses: with operators, all of its words; in a plain
	// query, the required ones and then any of the others, coordinated.
	// Excluded clauses and filters keep their strict meaning (values of
	// one field are alternatives, fields all apply).
	Xapian::Query run(const vg_qnode *n, bool plain) const
	{
		std::vector<Xapian::Query> must, may, must_not, not_filters, ref_terms;
		std::map<std::string, std::vector<Xapian::Query>> filters;
		for (size_t i = 0; i < n->n_children; i++) {
			const vg_qnode *c = n->children[i];
			std::string typed;
			if (c->kind == VG_Q_VALUE || c->kind == VG_Q_DATES || c->kind == VG_Q_REF_FILTER) {
				Xapian::Query f = leaf(c, typed);
				if (c->sign == VG_Q_MUST_NOT) {
					not_filters.push_back(f);
					continue;
				}
				filters[c->kind == VG_Q_VALUE ? c->prefix : c->kind == VG_Q_DATES ? "date:" : "ref:"].push_back(f);
				if (c->kind == VG_Q_REF_FILTER)
					ref_terms.push_back(f);
				continue;
			}
			Xapian::Query q = c->sign == VG_Q_MUST_NOT || !plain ? leaf(c, typed) : scored(c);
			if (q.empty())
				continue;
			(c->sign == VG_Q_MUST ? must : c->sign == VG_Q_MUST_NOT ? must_not : may).push_back(q);
		}
		Xapian::Query q;
		if (!plain) {
			must.insert(must.end(), may.begin(), may.end());
			q = join(Xapian::Query::OP_AND, must);
		} else if (must.empty()) {
			q = join(Xapian::Query::OP_OR, may);
		} else {
			q = join(Xapian::Query::OP_AND, must);
			if (!may.empty())
				q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, join(Xapian::Query::OP_OR, may));
		}
		if (q.empty() && (!must_not.empty() || !filters.empty() || !not_filters.empty()))
			q = Xapian::Query(std::string());
		if (q.empty())
			return q;
		if (!must_not.empty())
			q = Xapian::Query(Xapian::Query::OP_AND_NOT, q, join(Xapian::Query::OP_OR, must_not));
		if (!filters.empty()) {
			std::vector<Xapian::Query> fields;
			for (const auto &f : filters)
				fields.push_back(join(Xapian::Query::OP_OR, f.second));
			q = Xapian::Query(Xapian::Query::OP_FILTER, q, join(Xapian::Query::OP_AND, fields));
		}
		if (!not_filters.empty())
			q = Xapian::Query(Xapian::Query::OP_AND_NOT, q, join(Xapian::Query::OP_OR, not_filters));
		// Among the documents a ref: keeps, the article that is the
		// reference (its term weighs most there) comes first.
		if (!ref_terms.empty())
			q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, join(Xapian::Query::OP_OR, ref_terms));
		return q;
	}

	// A node of a query with operators.
	Xapian::Query node(const vg_qnode *n) const
	{
		std::vector<Xapian::Query> sub;
		bool boolean = n->kind == VG_Q_AND || n->kind == VG_Q_OR || n->kind == VG_Q_XOR || n->kind == VG_Q_AND_NOT;
		for (size_t i = 0; boolean && i < n->n_children; i++) {
			Xapian::Query q = node(n->children[i]);
			if (!q.empty() || n->kind == VG_Q_AND_NOT)
				sub.push_back(q);
		}
		switch (n->kind) {
		case VG_Q_CLAUSES:
			return run(n, false);
		case VG_Q_AND:
			return join(Xapian::Query::OP_AND, sub);
		case VG_Q_OR:
			return join(Xapian::Query::OP_OR, sub);
		case VG_Q_XOR:
			return join(Xapian::Query::OP_XOR, sub);
		case VG_Q_AND_NOT:
			if (sub.size() < 2 || sub[1].empty())
				return sub.empty() ? Xapian::Query() : sub[0];
			return Xapian::Query(Xapian::Query::OP_AND_NOT, sub[0].empty() ? Xapian::Query(std::string()) : sub[0],
			                     sub[1]);
		default: {
			std::string typed;
			return leaf(n, typed);
		}
		}
	}
};


bool is_reference(const Xapian::Query &clause)
{
	return clause.get_type() == Xapian::Query::LEAF_TERM &&
	       (*clause.get_terms_begin()).compare(0, std::strlen(VG_P_REF), VG_P_REF) == 0;
}

// The documents that hold every clause, weightless. The references of a
// query count as one: "R421-58 R421-59" asks for these articles, which
// seldom cite each other, before the texts citing both.
std::vector<Xapian::Query> every_clause(const std::vector<Xapian::Query> &clauses)
{
	std::vector<Xapian::Query> all, refs;
	for (const auto &c : clauses) {
		Xapian::Query weightless(Xapian::Query::OP_SCALE_WEIGHT, c, 0.0);
		if (is_reference(c))
			refs.push_back(weightless);
		else
			all.push_back(weightless);
	}
	if (!refs.empty())
		all.push_back(Xapian::Query(Xapian::Query::OP_OR, refs.begin(), refs.end()));
	return all;
}

// Documents that hold every clause get ALL_WORDS_WEIGHT more.
Xapian::Query with_all_words(const Xapian::Query &q, const std::vector<Xapian::Query> &clauses)
{
	if (clauses.empty())
		return q;
	std::vector<Xapian::Query> all = every_clause(clauses);
	all.push_back(Xapian::Query((new Xapian::FixedWeightPostingSource(ALL_WORDS_WEIGHT))->release()));
	return Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end()));
}

// The documents of q that match any of terms get weight more.
Xapian::Query with_bonus(const Xapian::Query &q, const std::vector<Xapian::Query> &terms, double weight)
{
	if (terms.empty())
		return q;
	Xapian::Query any(Xapian::Query::OP_OR, terms.begin(), terms.end());
	Xapian::Query bonus((new Xapian::FixedWeightPostingSource(weight))->release());
	return Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
	                     Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, any, 0.0), bonus));
}

// The articles that a query's references name get ARTICLE_WEIGHT more.
Xapian::Query with_articles_named(const Xapian::Query &q, const std::vector<Xapian::Query> &clauses)
{
	std::vector<Xapian::Query> articles;
	for (const auto &c : clauses)
		if (is_reference(c))
			articles.push_back(Xapian::Query(VG_P_IS + (*c.get_terms_begin()).substr(std::strlen(VG_P_REF))));
	return with_bonus(q, articles, ARTICLE_WEIGHT);
}

// Documents that state a quantity of a kind asked get QUANTITY_WEIGHT more.
Xapian::Query with_quantities_asked(const Xapian::Query &q, unsigned asked)
{
	std::vector<Xapian::Query> terms;
	for (unsigned kind = 1; kind < 1u << VG_QTY_KINDS; kind <<= 1)
		if (asked & kind)
			terms.push_back(Xapian::Query(vg_quantity_term(kind)));
	return with_bonus(q, terms, QUANTITY_WEIGHT);
}

// The query of spec->query (NULL: every document). A plain query's
// clauses are added to clauses and the words they stand for to words.
// *matching receives the part that decides which documents match, without
// what only weighs.
Xapian::Query build_query(const Xapian::Database &db, const Xapian::Stem &stem, const vg_xsearch *spec,
                          std::vector<Xapian::Query> &clauses, std::vector<std::string> &words,
                          Xapian::Query &matching)
{
	const vg_query *query = spec->query;
	if (!query || !query->root)
		return matching = Xapian::Query(std::string());
	Vocabulary vocab{db, {}, {}};
	Builder b{vocab, stem, spec, clauses, words, false};
	if (!query->plain || query->root->kind != VG_Q_CLAUSES)
		return matching = b.node(query->root);
	std::vector<Xapian::Query> lean_clauses;
	std::vector<std::string> lean_words;
	matching = Builder{vocab, stem, spec, lean_clauses, lean_words, true}.run(query->root, true);
	Xapian::Query q = b.run(query->root, true);
	q = with_all_words(q, clauses);
	q = with_articles_named(q, clauses);
	return with_quantities_asked(q, spec->quantities_asked);
}


Xapian::Query filters_query(const vg_xsearch *s)
{
	std::map<std::string, std::vector<Xapian::Query>> groups;
	for (size_t i = 0; i < s->n_filters; i++)
		groups[s->filters[i].group].push_back(Xapian::Query(s->filters[i].term));
	std::vector<Xapian::Query> ands;
	for (auto &g : groups)
		ands.push_back(Xapian::Query(Xapian::Query::OP_OR, g.second.begin(), g.second.end()));
	if (s->date_from && s->date_to)
		ands.push_back(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, VG_SLOT_DATE, s->date_from, s->date_to));
	else if (s->date_from)
		ands.push_back(Xapian::Query(Xapian::Query::OP_VALUE_GE, VG_SLOT_DATE, s->date_from));
	else if (s->date_to)
		ands.push_back(Xapian::Query(Xapian::Query::OP_VALUE_LE, VG_SLOT_DATE, s->date_to));
	if (ands.empty())
		return Xapian::Query();
	return Xapian::Query(Xapian::Query::OP_AND, ands.begin(), ands.end());
}

Xapian::Query versions_query(double as_of)
{
	// The present by a term: a boolean posting list, not a value read
	// for every version of the history.
	if (as_of < 0)
		return Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(VG_T_LIVE), Xapian::Query(VG_T_DOC));
	Xapian::Query from(Xapian::Query::OP_VALUE_LE, VG_SLOT_FROM, Xapian::sortable_serialise(as_of));
	Xapian::Query to(Xapian::Query::OP_VALUE_GE, VG_SLOT_TO, Xapian::sortable_serialise(as_of + 1));
	Xapian::Query both(Xapian::Query::OP_AND, from, to);
	return Xapian::Query(Xapian::Query::OP_AND, both, Xapian::Query("XDOC"));
}

// The versions visible at a position of each combined database's own
// history: positions differ from one repository to the next, and Xapian
// hands a posting source each sub-database alone, which its UUID names.
class ShardVersions : public Xapian::PostingSource {
	std::vector<std::pair<std::string, double>> positions; // UUID, position
	double pos = -2;
	Xapian::Database db;
	Xapian::ValueIterator from, from_end, to, to_end;
	Xapian::doccount freq = 0;
	bool started = false;

	bool visible()
	{
		Xapian::docid did = from.get_docid();
		to.skip_to(did);
		if (to == to_end || to.get_docid() != did)
			return false;
		double f = Xapian::sortable_unserialise(*from), t = Xapian::sortable_unserialise(*to);
		return pos < 0 ? t >= VG_SEQ_OPEN : f <= pos && t >= pos + 1;
	}
	void settle()
	{
		while (from != from_end && !visible())
			++from;
	}

      public:
	explicit ShardVersions(const std::vector<std::pair<std::string, double>> &p) : positions(p) {}
	void init(const Xapian::Database &d) override
	{
		db = d;
		pos = -2;
		std::string uuid = d.get_uuid();
		for (const auto &p : positions)
			if (p.first == uuid)
				pos = p.second;
		from = db.valuestream_begin(VG_SLOT_FROM);
		from_end = db.valuestream_end(VG_SLOT_FROM);
		to = db.valuestream_begin(VG_SLOT_TO);
		to_end = db.valuestream_end(VG_SLOT_TO);
		freq = pos < -1 ? 0 : db.get_value_freq(VG_SLOT_FROM);
		if (pos < -1)
			from = from_end;
		started = false;
	}
	Xapian::doccount get_termfreq_min() const override { return 0; }
	Xapian::doccount get_termfreq_est() const override { return freq / 2; }
	Xapian::doccount get_termfreq_max() const override { return freq; }
	void next(double) override
	{
		if (started && from != from_end)
			++from;
		started = true;
		settle();
	}
	void skip_to(Xapian::docid did, double) override
	{
		started = true;
		if (from != from_end && from.get_docid() < did)
			from.skip_to(did);
		settle();
	}
	bool at_end() const override { return from == from_end; }
	Xapian::docid get_docid() const override { return from.get_docid(); }
	ShardVersions *clone() const override { return new ShardVersions(positions); }
};

// What a search sees: the versions at spec's position(s).
Xapian::Query versions_of(const vg_xdb *db, const vg_xsearch *spec)
{
	if (spec->gone)
		return Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(VG_T_GONE), Xapian::Query(VG_T_DOC));
	if (!spec->shard_as_of || db->part_uuids.empty())
		return versions_query(spec->as_of);
	std::vector<std::pair<std::string, double>> p;
	for (size_t i = 0; i < db->part_uuids.size(); i++)
		p.emplace_back(db->part_uuids[i], spec->shard_as_of[i]);
	return Xapian::Query(Xapian::Query::OP_AND, Xapian::Query((new ShardVersions(p))->release()),
	                     Xapian::Query("XDOC"));
}

} // namespace

int vg_xdb_check(const char *path, size_t *errors, char **report, vg_err *err) noexcept
{
	*errors = 0;
	*report = nullptr;
	SHIM_TRY
	std::ostringstream out;
	try {
		*errors = Xapian::Database::check(path, Xapian::DBCHECK_SHORT_TREE, &out);
	} catch (const Xapian::Error &e) {
		*errors = 1;
		out << e.get_description() << "\n";
	}
	*report = dup_string(out.str());
	return 0;
	SHIM_CATCH(err)
}

int vg_xdb_holds_pair(vg_xdb *db, const char *first, const char *then, vg_err *err) noexcept
{
	SHIM_TRY
	Xapian::Query words[] = {Xapian::Query(first), Xapian::Query(then)};
	Xapian::Query pair(Xapian::Query::OP_PHRASE, words, words + 2, 2);
	Xapian::Enquire e(*db->db);
	e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, pair, versions_query(-1)));
	e.set_weighting_scheme(Xapian::BoolWeight());
	return e.get_mset(0, 1).empty() ? 0 : 1;
	SHIM_CATCH(err)
}

int vg_xdb_count_current(vg_xdb *db, unsigned *count, vg_err *err) noexcept
{
	SHIM_TRY
	Xapian::Enquire e(*db->db);
	e.set_query(versions_query(-1));
	e.set_weighting_scheme(Xapian::BoolWeight());
	Xapian::MSet m = e.get_mset(0, 0, db->db->get_doccount());
	*count = m.get_matches_estimated();
	return 0;
	SHIM_CATCH(err)
}

// db's table of facets, up to date, or NULL when it has none.
static FacetTable *facet_table_of(vg_xdb *db)
{
	// A writer's docids may be taken back (a cancelled transaction).
	if (db->remote || db->wdb || db->db->size() != 1)
		return nullptr;
	if (!db->facet_table)
		db->facet_table.reset(new FacetTable());
	db->facet_table->refresh(*db->db);
	return db->facet_table->usable ? db->facet_table.get() : nullptr;
}

// Counts the facets of e's matches: from table when there is one, with
// *table_spy, else with Xapian's own spy, *spy (either made anew).
static void add_facet_spy(Xapian::Enquire &e, const FacetTable *table, std::unique_ptr<TableFacetSpy> &table_spy,
                          Xapian::ValueCountMatchSpy *&spy)
{
	delete spy;
	spy = nullptr;
	table_spy.reset(table ? new TableFacetSpy(*table) : nullptr);
	if (!table)
		spy = new Xapian::ValueCountMatchSpy(VG_SLOT_FACETS);
	e.add_matchspy(table ? static_cast<Xapian::MatchSpy *>(table_spy.get()) : spy);
}

int vg_xdb_search(vg_xdb *db, const vg_xsearch *spec, vg_xmset **out, vg_err *err) noexcept
{
	*out = nullptr;
	vg_xmset *m = nullptr;
	SHIM_TRY
	m = new vg_xmset(*db->db, db->stem);
	Xapian::Query q, matching;
	if (spec->like) {
		Xapian::RSet rset;
		rset.add_document(spec->like);
		Xapian::Enquire e(*db->db);
		e.set_query(versions_of(db, spec));
		WordsOnly words;
		Xapian::ESet eset = e.get_eset(25, rset, &words);
		q = Xapian::Query(Xapian::Query::OP_OR, eset.begin(), eset.end());
		// "More like this" leaves its model out: its path, a term a
		// remote index can filter on too.
		Xapian::Document model = db->db->get_document(spec->like);
		Xapian::TermIterator t = model.termlist_begin();
		t.skip_to(VG_P_PATH);
		if (t != model.termlist_end() && (*t).compare(0, std::strlen(VG_P_PATH), VG_P_PATH) == 0)
			q = Xapian::Query(Xapian::Query::OP_AND_NOT, q, Xapian::Query(*t));
		matching = q;
	} else {
		q = build_query(*db->db, db->stem, spec, m->clauses, m->clause_words, matching);
	}
	if (spec->n_marks) {
		// Weightless, optional: only MSet::snippet sees these words.
		Xapian::Query marks(Xapian::Query::OP_OR, spec->marks, spec->marks + spec->n_marks);
		q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, marks * 0.0);
	}
	if (spec->index_pages && spec->sort == VG_SORT_RELEVANCE) {
		Xapian::Query content((new Xapian::FixedWeightPostingSource(CONTENT_WEIGHT))->release());
		q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
		                  Xapian::Query(Xapian::Query::OP_AND_NOT, content, Xapian::Query(spec->index_pages)));
	}
	// What every match is restricted to, kept to tell which words matched.
	m->n_shards = spec->n_shards ? spec->n_shards : 1;
	Xapian::Query r = versions_of(db, spec);
	Xapian::Query f = filters_query(spec);
	if (!f.empty())
		r = Xapian::Query(Xapian::Query::OP_AND, f, r);
	if (spec->n_exclude) {
		std::vector<Xapian::Query> ex;
		for (size_t i = 0; i < spec->n_exclude; i++)
			ex.push_back(Xapian::Query(spec->exclude[i]));
		r = Xapian::Query(Xapian::Query::OP_AND_NOT, r, Xapian::Query(Xapian::Query::OP_OR, ex.begin(), ex.end()));
	}
	m->restriction = r;
	q = Xapian::Query(Xapian::Query::OP_FILTER, q, r);
	// Counting needs only which documents match: none of the optional
	// parts that weigh (every word, content, marks) has to be read.
	matching = Xapian::Query(Xapian::Query::OP_FILTER, matching, r);
	m->matching = matching;
	if (getenv("VG_DEBUG_QUERY")) fprintf(stderr, "%s\n", q.get_description().c_str());
	m->enquire.set_query(q);
	if (spec->sort == VG_SORT_DATE)
		m->enquire.set_sort_by_value_then_relevance(VG_SLOT_DATE, true);
	else if (spec->sort == VG_SORT_CHANGE)
		m->enquire.set_sort_by_value_then_relevance(VG_SLOT_CTIME, true);
	else if (spec->sort == VG_SORT_END)
		m->enquire.set_sort_by_value_then_relevance(VG_SLOT_TO, true);
	Xapian::doccount docs = db->db->get_doccount();
	// An index larger than the matches counted one by one ranks first,
	// unhindered, and counts after: exactly when the matches are few,
	// from an even sample when they are many.
	bool rank_first = spec->facets && spec->exact_counts && !db->remote && docs > spec->exact_counts;
	// One local index counts from its table of facets; the others run
	// Xapian's own spy, which xapian-tcpsrv knows.
	FacetTable *table = spec->facets ? facet_table_of(db) : nullptr;
	std::unique_ptr<TableFacetSpy> table_spy;
	if (spec->facets && !rank_first)
		add_facet_spy(m->enquire, table, table_spy, m->spy);
	auto started = std::chrono::steady_clock::now();
	auto elapsed = [&started]() {
		return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
	};
	if (spec->time_limit > 0)
		m->enquire.set_time_limit(spec->time_limit);
	m->mset = m->enquire.get_mset(spec->offset, spec->limit, m->spy || table_spy ? docs : 0);
	if (table_spy)
		m->enquire.clear_matchspies(); // the spy is this function's
	bool out_of_time = spec->time_limit > 0 && elapsed() >= spec->time_limit;
	if (rank_first && out_of_time) {
		m->partial_counts = true; // the ranking's own estimate stands
	} else if (rank_first) {
		// The ranking's estimate only chooses: a sample that finds the
		// matches fewer than exact_counts is counted again, exactly.
		unsigned long long estimated = m->mset.get_matches_estimated();
		Xapian::docid k = estimated > spec->exact_counts
		                      ? (Xapian::docid)std::min<unsigned long long>(
		                            1u << 20, std::max<unsigned long long>(2, estimated * SAMPLE_SHARE / spec->exact_counts))
		                      : 1;
		for (;; k = 1) {
			Xapian::Query counted = matching;
			double scale = 1;
			if (k > 1) {
				// Runs of up to 64 docids, and some 64 runs at least.
				Xapian::docid run = std::max<Xapian::docid>(
				    1, std::min<Xapian::docid>(64, spec->exact_counts / SAMPLE_SHARE / 64));
				scale = k;
				counted = Xapian::Query(Xapian::Query::OP_FILTER, matching,
				                        Xapian::Query((new SampleRuns(k, run))->release()));
			}
			Xapian::Enquire count(m->db);
			count.set_query(counted);
			count.set_weighting_scheme(Xapian::BoolWeight());
			add_facet_spy(count, table, table_spy, m->spy);
			double left = spec->time_limit - elapsed();
			if (spec->time_limit > 0)
				count.set_time_limit(std::max(left, 0.001));
			double started_count = elapsed();
			double total = count.get_mset(0, 0, docs).get_matches_estimated() * scale;
			bool cut = spec->time_limit > 0 && elapsed() - started_count >= left;
			if (k > 1 && total <= spec->exact_counts && !cut)
				continue;
			m->counted_total = (Xapian::doccount)std::min<double>(total + 0.5, docs);
			m->counted = true;
			m->count_scale = scale;
			m->partial_counts = k > 1 || cut;
			break;
		}
	}
	if (table_spy) {
		m->facets = new FacetCounts();
		table_spy->add_to(*m->facets, m->count_scale);
	} else if (m->spy) {
		m->facets = new FacetCounts();
		for (Xapian::TermIterator v = m->spy->values_begin(); v != m->spy->values_end(); ++v)
			m->facets->add(*v, (unsigned)(v.get_termfreq() * m->count_scale + 0.5));
	}
	m->partial = m->partial_counts || (!rank_first && out_of_time);
	*out = m;
	return 0;
	}
	catch (...) {
		delete m;
		try {
			throw;
		SHIM_CATCH(err)
	}
}

void vg_xmset_free(vg_xmset *m) noexcept
{
	delete m;
}

unsigned vg_xmset_size(const vg_xmset *m) noexcept
{
	return m->mset.size();
}

unsigned vg_xmset_total(const vg_xmset *m) noexcept
{
	return m->counted ? m->counted_total : m->mset.get_matches_estimated();
}

int vg_xmset_hit(vg_xmset *m, unsigned i, unsigned *docid, int *percent, char **data,
                 size_t *len, vg_err *err) noexcept
{
	*data = nullptr;
	SHIM_TRY
	Xapian::MSetIterator it = m->mset[i];
	*docid = *it;
	*percent = it.get_percent();
	std::string d = it.get_document().get_data();
	*data = dup_string(d);
	*len = d.size();
	return 0;
	SHIM_CATCH(err)
}

unsigned vg_xmset_hit_docid(const vg_xmset *m, unsigned i) noexcept
{
	try {
		return (unsigned)*m->mset[i];
	} catch (...) {
		return 0;
	}
}

unsigned vg_xmset_hit_shard(const vg_xmset *m, unsigned i) noexcept
{
	try {
		return (unsigned)((*m->mset[i] - 1) % m->n_shards);
	} catch (...) {
		return 0;
	}
}

double vg_xmset_hit_number(vg_xmset *m, unsigned i, unsigned slot) noexcept
{
	try {
		std::string v = m->mset[i].get_document().get_value(slot);
		return v.empty() ? 0 : Xapian::sortable_unserialise(v);
	} catch (...) {
		return 0;
	}
}

namespace {

// The words of the query's free text that a snippet may show, as they
// begin words of folded text: the words themselves and their stems.
const std::vector<std::string> &snippet_words(vg_xmset *m)
{
	if (m->snippet_words_known)
		return m->snippet_words;
	Xapian::Query q = m->enquire.get_query();
	for (Xapian::TermIterator t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t) {
		std::string w = *t;
		if (!w.empty() && w[0] == 'Z')
			w.erase(0, 1);
		if (w.size() >= 2 && w[0] >= 'a' && w[0] <= 'z')
			m->snippet_words.push_back(w);
	}
	m->snippet_words_known = true;
	return m->snippet_words;
}

bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

// Where the first word of the query stands in folded[0..len), or len.
size_t first_match(const std::vector<std::string> &words, const char *folded, size_t len)
{
	size_t first = len;
	for (const std::string &w : words) {
		for (const char *p = folded, *end = folded + std::min(first, len); p < end;) {
			const char *at = static_cast<const char *>(memmem(p, (size_t)(end - p), w.data(), w.size()));
			if (!at)
				break;
			if (at == folded || !word_char(at[-1])) {
				first = (size_t)(at - folded);
				break;
			}
			p = at + 1;
		}
	}
	return first;
}

// The snippet without the marks of words that say nothing ("de", "à"),
// which a phrase of the query ("contrat de travail à durée
// indéterminée") holds: marks show what was found.
std::string unmark_stopwords(const std::string &marked)
{
	std::string out;
	out.reserve(marked.size());
	for (size_t i = 0; i < marked.size(); i++) {
		size_t end = marked[i] == '\x01' ? marked.find('\x02', i + 1) : std::string::npos;
		if (end != std::string::npos && vg_text_is_stopword(marked.substr(i + 1, end - i - 1).c_str())) {
			out.append(marked, i + 1, end - i - 1);
			i = end;
		} else {
			out.push_back(marked[i]);
		}
	}
	return out;
}

} // namespace

int vg_xmset_snippet(vg_xmset *m, const char *folded, size_t len, size_t length, char **out,
                     vg_err *err) noexcept
{
	*out = nullptr;
	SHIM_TRY
	// MSet::snippet stems every word of the text it is given: a long text
	// is cut to a window around the first word of the query it holds.
	size_t window = std::max<size_t>(length * 8, 2048), from = 0, to = len;
	if (len > window) {
		size_t first = first_match(snippet_words(m), folded, len);
		from = first < len && first > length ? first - length : 0;
		while (from > 0 && word_char(folded[from - 1]))
			from--;
		to = std::min(len, from + window);
		while (to < len && word_char(folded[to]))
			to++;
	}
	// Without the background model: it looks up every word of the text in
	// the index, which made snippets most of a search's cost.
	std::string s = m->mset.snippet(std::string(folded + from, to - from), length, m->stem, 0,
	                                "\x01", "\x02", "\x03");
	s = unmark_stopwords(s);
	// Text left out of the window is text left out of the snippet.
	if (from > 0 && (s.empty() || s[0] != '\x03'))
		s.insert(0, 1, '\x03');
	if (to < len && (s.empty() || s.back() != '\x03'))
		s.push_back('\x03');
	*out = dup_string(s);
	return 0;
	SHIM_CATCH(err)
}

char *vg_xdb_stem_term(vg_xdb *db, const char *word) noexcept
{
	try {
		return dup_string("Z" + db->stem(word));
	} catch (...) {
		return nullptr;
	}
}

void vg_xstem(const char *word, char *out, size_t cap) noexcept
{
	if (!cap)
		return;
	*out = '\0';
	try {
		// A stemmer holds state while it works: one per thread.
		thread_local Xapian::Stem french("french");
		std::string stem = french(word);
		size_t n = std::min(stem.size(), cap - 1);
		memcpy(out, stem.data(), n);
		out[n] = '\0';
	} catch (...) {
	}
}

int vg_xmset_partial(const vg_xmset *m) noexcept
{
	return m->partial;
}

int vg_xmset_all_words(const vg_xmset *m) noexcept
{
	try {
		if (m->clauses.empty() || m->mset.empty())
			return 1;
		// Whether a document holds them all, not a weight: other bonuses
		// (content, an article named) reach ALL_WORDS_WEIGHT too.
		std::vector<Xapian::Query> all = every_clause(m->clauses);
		Xapian::Enquire e(m->db);
		e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end()),
		                          m->matching));
		e.set_weighting_scheme(Xapian::BoolWeight());
		return !e.get_mset(0, 1).empty();
	} catch (...) {
		return 1;
	}
}

int vg_xmset_missing_words(vg_xmset *m, char ***words, size_t *n, vg_err *err) noexcept
{
	*words = nullptr;
	*n = 0;
	SHIM_TRY
	std::vector<std::string> missing;
	for (size_t i = 0; i < m->clauses.size(); i++) {
		Xapian::Enquire e(m->db);
		e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, m->clauses[i], m->restriction));
		e.set_weighting_scheme(Xapian::BoolWeight());
		if (e.get_mset(0, 1).empty())
			missing.push_back(m->clause_words[i]);
	}
	string_array(missing, words, n);
	return 0;
	SHIM_CATCH(err)
}

int vg_xmset_add_counts(vg_xmset *m, const vg_xmset *part, vg_err *err) noexcept
{
	SHIM_TRY
	if (!m->facets)
		m->facets = new FacetCounts();
	for (unsigned f = 0; part->facets && f < VG_N_FACETS; f++)
		for (const auto &v : part->facets->counts[f])
			m->facets->counts[f][v.first] += v.second;
	if (!m->counted)
		m->counted_total = 0;
	m->counted = true;
	m->counted_total += vg_xmset_total(part);
	m->partial_counts = m->partial_counts || part->partial;
	m->partial = m->partial || part->partial;
	return 0;
	SHIM_CATCH(err)
}

int vg_xmset_facets(vg_xmset *m, unsigned facet, char ***values, unsigned **counts, size_t *n,
                    vg_err *err) noexcept
{
	*values = nullptr;
	*counts = nullptr;
	*n = 0;
	SHIM_TRY
	if (!m->facets || facet >= VG_N_FACETS)
		return 0;
	std::vector<std::pair<std::string, unsigned>> v(m->facets->counts[facet].begin(),
	                                                 m->facets->counts[facet].end());
	if (v.empty())
		return 0;
	std::sort(v.begin(), v.end(), [](const std::pair<std::string, unsigned> &a,
	                                 const std::pair<std::string, unsigned> &b) {
		return a.second != b.second ? a.second > b.second : a.first < b.first;
	});
	char **vals = static_cast<char **>(std::calloc(v.size(), sizeof(char *)));
	unsigned *cnts = static_cast<unsigned *>(std::calloc(v.size(), sizeof(unsigned)));
	if (!vals || !cnts) {
		std::free(vals);
		std::free(cnts);
		throw std::bad_alloc();
	}
	for (size_t i = 0; i < v.size(); i++) {
		vals[i] = static_cast<char *>(std::malloc(v[i].first.size() + 1));
		if (!vals[i]) {
			vg_xmset_facets_free(vals, cnts, i);
			throw std::bad_alloc();
		}
		std::memcpy(vals[i], v[i].first.c_str(), v[i].first.size() + 1);
		cnts[i] = v[i].second;
	}
	*values = vals;
	*counts = cnts;
	*n = v.size();
	return 0;
	SHIM_CATCH(err)
}

void vg_xmset_facets_free(char **values, unsigned *counts, size_t n) noexcept
{
	if (values)
		for (size_t i = 0; i < n; i++)
			std::free(values[i]);
	std::free(values);
	std::free(counts);
}
