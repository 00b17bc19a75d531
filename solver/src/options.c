/* Options with units and ranges. The value is read as text so that a unit can follow the number and so
   that a bad value is a user error naming the option, not PETSc's generic conversion failure. */
#include "options.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static void OptionName(PetscOptionItems *PetscOptionsObject, const char opt[], char name[], size_t len)
{
  snprintf(name, len, "-%s%s", PetscOptionsObject->prefix ? PetscOptionsObject->prefix : "", opt + 1);
}

/* A bound for a message: "inf" reads better than 1.79769e+308. */
static void FormatBound(PetscReal b, char buf[], size_t len)
{
  if (b >= PETSC_MAX_REAL) snprintf(buf, len, "inf");
  else if (b <= -PETSC_MAX_REAL) snprintf(buf, len, "-inf");
  else snprintf(buf, len, "%g", (double)b);
}

PetscErrorCode HavocOptionsQuantity_Private(PetscOptionItems *PetscOptionsObject, const char opt[], const char text[], const char unit[], PetscReal current, PetscReal *value, PetscBool *set, PetscReal lo, PetscReal hi)
{
  char      help[256], now[64], given[256], name[256], err[256];
  double    v;
  PetscBool lset, positive = (PetscBool)(lo == HAVOC_POSITIVE), ok;

  PetscFunctionBeginUser;
  if (unit[0]) {
    snprintf(help, sizeof(help), "%s [%s]", text, unit);
    snprintf(now, sizeof(now), "%g %s", (double)current, unit);
  } else {
    snprintf(help, sizeof(help), "%s", text);
    snprintf(now, sizeof(now), "%g", (double)current);
  }
  PetscCall(PetscStrncpy(given, now, sizeof(given)));
  PetscCall(PetscOptionsString_Private(PetscOptionsObject, opt, help, NULL, now, given, sizeof(given), &lset));
  if (set) *set = lset;
  if (!lset) {
    *value = current;
    PetscFunctionReturn(0);
  }
  OptionName(PetscOptionsObject, opt, name, sizeof(name));
  HavocCheckUser(!HavocQuantityParse(given, unit, unit, &v, err, sizeof(err)), PetscOptionsObject->comm, "option %s: %s", name, err);
  ok = (PetscBool)(positive ? v > 0 && v <= hi : v >= lo && v <= hi);
  if (!ok) {
    char got[64], lo_text[32], hi_text[32];

    snprintf(got, sizeof(got), "%g%s%s", v, unit[0] ? " " : "", unit);
    FormatBound(positive ? 0 : lo, lo_text, sizeof(lo_text));
    FormatBound(hi, hi_text, sizeof(hi_text));
    HavocCheckUser(hi < PETSC_MAX_REAL, PetscOptionsObject->comm, "option %s: %s must be %s %s", name, got, positive ? ">" : ">=", lo_text);
    HavocCheckUser(0, PetscOptionsObject->comm, "option %s: %s is outside %c%s, %s]", name, got, positive ? '(' : '[', lo_text, hi_text);
  }
  *value = v;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocOptionsIntRange_Private(PetscOptionItems *PetscOptionsObject, const char opt[], const char text[], PetscInt current, PetscInt *value, PetscBool *set, PetscInt lo, PetscInt hi)
{
  char      now[32], given[256], name[256], *end;
  long long v;
  PetscBool lset;

  PetscFunctionBeginUser;
  snprintf(now, sizeof(now), "%" PetscInt_FMT, current);
  PetscCall(PetscStrncpy(given, now, sizeof(given)));
  PetscCall(PetscOptionsString_Private(PetscOptionsObject, opt, text, NULL, now, given, sizeof(given), &lset));
  if (set) *set = lset;
  if (!lset) {
    *value = current;
    PetscFunctionReturn(0);
  }
  OptionName(PetscOptionsObject, opt, name, sizeof(name));
  errno = 0;
  v     = strtoll(given, &end, 10);
  HavocCheckUser(end != given && !*end && !errno, PetscOptionsObject->comm, "option %s: '%s' is not an integer", name, given);
  if (v < lo || v > hi) {
    HavocCheckUser(hi != PETSC_MAX_INT, PetscOptionsObject->comm, "option %s: %s must be >= %" PetscInt_FMT, name, given, lo);
    HavocCheckUser(lo != PETSC_MIN_INT, PetscOptionsObject->comm, "option %s: %s must be <= %" PetscInt_FMT, name, given, hi);
    HavocCheckUser(0, PetscOptionsObject->comm, "option %s: %s is outside [%" PetscInt_FMT ", %" PetscInt_FMT "]", name, given, lo, hi);
  }
  *value = (PetscInt)v;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocParsePoint(MPI_Comm comm, const char opt[], const char text[], PetscInt dim, PetscReal x[])
{
  char        buf[256], *part[3] = {NULL, NULL, NULL}, *save = NULL, *tok, err[256], unit[64] = "";
  int         n = 0;
  const char *last;

  PetscFunctionBeginUser;
  PetscCall(PetscStrncpy(buf, text, sizeof(buf)));
  for (tok = strtok_r(buf, ",", &save); tok && n < 4; tok = strtok_r(NULL, ",", &save))
    part[n < dim ? n : dim - 1] = tok, n++;
  HavocCheckUser(n == dim, comm, "option %s: '%s' is not a point: expected %s in the face frame (e.g. '%s' or '%s')", opt, text, dim == 3 ? "X,Y,Z" : "X,Y", dim == 3 ? "6,12,4 mm" : "6,12 mm", dim == 3 ? "6 mm, 12 mm, 4 mm" : "6 mm, 12 mm");
  /* a unit after the last number only: it applies to all three */
  last = part[dim - 1];
  while (*last == ' ')
    last++;
  {
    char *end;
    (void)strtod(last, &end);
    while (*end == ' ')
      end++;
    if (*end) PetscCall(PetscStrncpy(unit, end, sizeof(unit)));
  }
  for (PetscInt i = 0; i < dim; i++) {
    double v;
    char   q[128], *end;
    (void)strtod(part[i], &end);
    while (*end == ' ')
      end++;
    PetscCall(PetscSNPrintf(q, sizeof(q), "%s%s%s", part[i], unit[0] && !*end ? " " : "", unit[0] && !*end ? unit : ""));
    HavocCheckUser(!HavocQuantityParse(q, "m", "m", &v, err, sizeof(err)), comm, "option %s: component %d '%s': %s", opt, (int)i + 1, part[i], err);
    x[i] = v;
  }
  PetscFunctionReturn(0);
}
