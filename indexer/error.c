#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int vg_err_set(vg_err *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

void vg_err_clear(vg_err *err)
{
	if (err) {
		err->code = VG_OK;
		err->msg[0] = '\0';
	}
}

const char *vg_err_name(int code)
{
	switch (code) {
	case VG_OK: return "VG_OK";
	case VG_ENOMEM: return "VG_ENOMEM";
	case VG_EINVAL: return "VG_EINVAL";
	case VG_ENOTFOUND: return "VG_ENOTFOUND";
	case VG_EIO: return "VG_EIO";
	case VG_ELOCKED: return "VG_ELOCKED";
	case VG_EGIT: return "VG_EGIT";
	case VG_EXAPIAN: return "VG_EXAPIAN";
	case VG_EQUERY: return "VG_EQUERY";
	case VG_ETOOBIG: return "VG_ETOOBIG";
	case VG_ECORRUPT: return "VG_ECORRUPT";
	case VG_EREWRITTEN: return "VG_EREWRITTEN";
	default: return "VG_EUNKNOWN";
	}
}
