/* libFuzzer target: the case-file reader (HavocCaseLoadString) and the unit and quantity parsers.

   The whole input is a case file: it is loaded into the options database, checked for unused options as
   `havoc run` does, and cleared again. Its first line is also a quantity and a unit expression: it is
   parsed against every kind of unit havoc reads, and as a point. A first line "TEXT|UNIT" parses TEXT
   with UNIT as both its bare and its expected unit, so that the unit grammar of the expected side is
   fuzzed too. A rejected quantity must say why. */
#include "case.h"
#include "options.h"
#include "units.h"
#include "fuzz.h"

#include <math.h>

/* The bare units of the fields of havoc's files and options (mesh.c, the outlet models, options). */
static const char *const units[] = {"", "m", "mm", "um", "cm^2", "s", "min", "h", "Pa", "kPa", "mmHg", "Pa m", "Pa s", "mPa s", "Pa s m^-3", "m^3 Pa^-1", "m^3/s", "mL/min", "uL", "mL", "kg/m^3", "Hz", "U", "U/mL", "deg", "rad", "m/s", "N"};

static void Fail(const char *what, const char *text, const char *unit)
{
  fprintf(stderr, "fuzz_case: %s (text '%s', unit '%s')%s%s\n", what, text, unit ? unit : "(null)", fuzz_error[0] ? ": " : "", fuzz_error);
  abort();
}

static void Quantity(const char *text, const char *bare, const char *expected)
{
  char   err[256] = "";
  double si       = 0;

  if (HavocQuantityParse(text, bare, expected, &si, err, sizeof(err))) {
    if (!err[0]) Fail("a quantity rejected without a message", text, expected);
  } else if (!isfinite(si)) Fail("a quantity accepted with a value that is not finite", text, expected);
}

static void Unit(const char *expr)
{
  char     err[256] = "", what[128];
  double   to_si    = 0;
  HavocDim dim;

  if (HavocUnitParse(expr, &to_si, &dim, err, sizeof(err))) {
    if (!err[0]) Fail("a unit rejected without a message", expr, NULL);
    return;
  }
  HavocDimDescribe(dim, what, sizeof(what));
  HavocDimSI(dim, what, sizeof(what));
  HavocDimSI(dim, what, 4);
}

static void FirstLine(const char *text)
{
  const size_t n    = strcspn(text, "\n");
  char        *line = malloc(n + 1), *bar;
  PetscReal    x[3];

  if (!line) abort();
  memcpy(line, text, n);
  line[n] = 0;
  Unit(line);
  for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
    Quantity(line, units[u], units[u]);
    Quantity(line, NULL, units[u]);
  }
  for (PetscInt dim = 2; dim <= 3; dim++)
    (void)HavocParsePoint(PETSC_COMM_SELF, "-fuzz_point", line, dim, x);
  bar = strchr(line, '|');
  if (bar) {
    *bar = 0;
    Unit(bar + 1);
    Quantity(line, bar + 1, bar + 1);
    Quantity(line, NULL, bar + 1);
  }
  free(line);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  if (FuzzInitialize()) abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = FuzzString(data, size);

  fuzz_error[0] = 0;
  if (!HavocCaseLoadString(PETSC_COMM_SELF, "fuzz.yaml", text)) (void)HavocOptionsCheckUnused(PETSC_COMM_SELF);
  if (HavocCaseClear() || PetscOptionsClear(NULL)) Fail("clearing the options failed", "", NULL);
  FirstLine(text);
  free(text);
  return 0;
}
