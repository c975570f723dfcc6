/* Where Vigie's own files are: the programs installed beside the running
 * one (build/ while developing, a bin/ folder once installed). */
#ifndef VG_INSTALL_H
#define VG_INSTALL_H

/* The folder of the running program (malloc'd), or NULL. */
char *vg_install_dir(void);

/* The path of program `name` beside the running one, or just its name for
 * the PATH when that folder is unknown (malloc'd). */
char *vg_install_program(const char *name);

#endif
