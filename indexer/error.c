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

static const struct {
	int code;
	const char *name, *api;
	unsigned status;
	const char *label;
} errors[] = {
#define VG_ERROR(name, value, api, status, label) {value, #name, api, status, label},
#include "error.def"
#undef VG_ERROR
};

/* The row of code; an unknown code reads as an internal error. */
static size_t row(int code)
{
	size_t internal = 0;
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		if (errors[i].code == code)
			return i;
		if (errors[i].code == VG_EINTERNAL)
			internal = i;
	}
	return internal;
}

const char *vg_err_name(int code)
{
	size_t i = row(code);
	return errors[i].code == code ? errors[i].name : "VG_EUNKNOWN";
}

const char *vg_err_api_code(int code)
{
	return errors[row(code)].api;
}

unsigned vg_err_http_status(int code)
{
	return errors[row(code)].status;
}

const char *vg_err_label(int code)
{
	return errors[row(code)].label;
}
