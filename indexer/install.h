/* Where Vigie's own files are: beside the running program in the build
 * tree (build/, build/<sanitizer>/, the repository's web/ and
 * repo-template/ above it), else where `make install` put them (the
 * folders given to make: PREFIX, LIBEXECDIR, DATADIR). */
#ifndef VG_INSTALL_H
#define VG_INSTALL_H

/* The folder of the running program (malloc'd), or NULL. */
char *vg_install_dir(void);

/* The path of program `name`: beside the running one, else in the
 * installed libexec folder, else just its name for the PATH (malloc'd;
 * NULL when out of memory). */
char *vg_install_program(const char *name);

/* The path of Vigie's data folder `name` ("web", "repo-template"): in the
 * build tree above the running program, else in the installed data folder
 * (malloc'd), or NULL when neither exists. */
char *vg_install_data(const char *name);

#endif
