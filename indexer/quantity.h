/* What sort of quantity a text states and a question asks for. "jusqu'à
 * quel âge", "quelle durée", "dans quel délai", "quel taux" are answered by
 * articles that state the quantity without the question's word ("entre six
 * ans et seize ans", "deux mois", "10 %"). The index keeps one term per
 * kind of quantity a document states; in a question, the word that names
 * the quantity asked for is also matched by that term. */
#ifndef VG_QUANTITY_H
#define VG_QUANTITY_H

#include <stddef.h>

enum {
	VG_QTY_DURATION = 1 << 0, /* a number of hours, days, weeks, months, years */
	VG_QTY_YEARS = 1 << 1,    /* a number of years: an age or a duration */
	VG_QTY_RATE = 1 << 2,     /* a percentage */
	VG_QTY_AMOUNT = 1 << 3,   /* a sum in euros */
	VG_QTY_HEADCOUNT = 1 << 4 /* a number of employees: "cinquante salariés" */
};
#define VG_QTY_KINDS 5

/* The kinds of quantity that folded text (vg_text_fold) states, as a set
 * of VG_QTY_* bits. This function can't fail. */
unsigned vg_quantity_stated(const char *folded, size_t len);

/* The kind of quantity (one VG_QTY_* bit) that a folded word of a question
 * names ("age", "duree", "delai", "taux", "pourcentage", "montant",
 * "effectif"), or 0. This function can't fail. */
unsigned vg_quantity_named(const char *folded_word);

/* The kinds of quantity that a folded question asks for: those its words
 * name, and what "combien de" or "quel" counts ("combien de jours", "quel
 * montant", "a partir de combien de salaries"), as VG_QTY_* bits. This
 * function can't fail. */
unsigned vg_quantity_asked(const char *folded);

/* The index term of one kind (a single VG_QTY_* bit), or NULL. */
const char *vg_quantity_term(unsigned kind);

#endif
