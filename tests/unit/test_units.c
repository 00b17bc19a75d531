/* Unit expressions and quantities: conversion factors, dimensions and every class of error message. */
#include "units.h"

#include <check.h>
#include "unittest.h"
#include <float.h>
#include <math.h>
#include <petscsys.h>
#include <string.h>
#include "havoc.h"

/* Conversion factors are products of at most a few literals: a few roundings at most. */
#define FACTOR_TOL (4 * DBL_EPSILON)

static void ExpectUnit(const char *expr, double factor, HavocDim dim)
{
  double   f;
  HavocDim d;
  char     err[256];

  ck_assert_msg(!HavocUnitParse(expr, &f, &d, err, sizeof(err)), "'%s': %s", expr, err);
  ck_assert_msg(fabs(f - factor) <= FACTOR_TOL * fabs(factor), "'%s': factor %.17g, expected %.17g", expr, f, factor);
  ck_assert_msg(HavocDimEqual(d, dim), "'%s': dimension kg^%d m^%d s^%d U^%d", expr, d.kg, d.m, d.s, d.u);
}

static void ExpectQuantity(const char *text, const char *bare, const char *expected, double si)
{
  double v;
  char   err[256];

  ck_assert_msg(!HavocQuantityParse(text, bare, expected, &v, err, sizeof(err)), "'%s': %s", text, err);
  ck_assert_msg(fabs(v - si) <= FACTOR_TOL * fabs(si), "'%s': %.17g, expected %.17g", text, v, si);
}

static void ExpectQuantityError(const char *text, const char *bare, const char *expected, const char *message)
{
  double v;
  char   err[256] = "";

  ck_assert_msg(HavocQuantityParse(text, bare, expected, &v, err, sizeof(err)), "'%s' was accepted", text);
  ck_assert_msg(!strcmp(err, message), "'%s': got message \"%s\", expected \"%s\"", text, err, message);
}

static const HavocDim none = {0, 0, 0, 0, 0}, length = {0, 1, 0, 0, 0}, time_ = {0, 0, 1, 0, 0}, mass = {1, 0, 0, 0, 0};
static const HavocDim pressure = {1, -1, -2, 0, 0}, volume = {0, 3, 0, 0, 0}, viscosity = {1, -1, -1, 0, 0};
static const HavocDim force = {1, 1, -2, 0, 0}, flow = {0, 3, -1, 0, 0}, resistance = {1, -4, -1, 0, 0};
static const HavocDim compliance = {-1, 4, 2, 0, 0}, enzyme = {0, 0, 0, 1, 0};

START_TEST(symbols)
{
  ExpectUnit("", 1, none);
  ExpectUnit("m", 1, length);
  ExpectUnit("cm", 1e-2, length);
  ExpectUnit("mm", 1e-3, length);
  ExpectUnit("um", 1e-6, length);
  ExpectUnit("kg", 1, mass);
  ExpectUnit("g", 1e-3, mass);
  ExpectUnit("mg", 1e-6, mass);
  ExpectUnit("s", 1, time_);
  ExpectUnit("ms", 1e-3, time_);
  ExpectUnit("us", 1e-6, time_);
  ExpectUnit("min", 60, time_);
  ExpectUnit("h", 3600, time_);
  ExpectUnit("day", 86400, time_);
  ExpectUnit("Pa", 1, pressure);
  ExpectUnit("kPa", 1e3, pressure);
  ExpectUnit("MPa", 1e6, pressure);
  ExpectUnit("mmHg", 133.322387415, pressure);
  ExpectUnit("cmH2O", 98.0665, pressure);
  ExpectUnit("bar", 1e5, pressure);
  ExpectUnit("N", 1, force);
  ExpectUnit("dyn", 1e-5, force);
  ExpectUnit("L", 1e-3, volume);
  ExpectUnit("mL", 1e-6, volume);
  ExpectUnit("uL", 1e-9, volume);
  ExpectUnit("P", 0.1, viscosity);
  ExpectUnit("cP", 1e-3, viscosity);
  ExpectUnit("Hz", 1, (HavocDim){0, 0, -1, 0, 0});
  ExpectUnit("U", 1, enzyme);
  ExpectUnit("rad", 1, (HavocDim){0, 0, 0, 0, 1});
  ExpectUnit("deg", PETSC_PI / 180, (HavocDim){0, 0, 0, 0, 1});
}
END_TEST

START_TEST(micro_sign)
{
  ExpectUnit("\xc2\xb5m", 1e-6, length); /* U+00B5 MICRO SIGN */
  ExpectUnit("\xce\xbcm", 1e-6, length); /* U+03BC GREEK SMALL LETTER MU */
  ExpectUnit("\xc2\xb5L", 1e-9, volume);
  ExpectUnit("\xc2\xb5s", 1e-6, time_);
}
END_TEST

START_TEST(expressions)
{
  ExpectUnit("Pa s m^-3", 1, resistance);
  ExpectUnit("Pa s/m^3", 1, resistance);
  ExpectUnit("Pa*s*m^-3", 1, resistance);
  ExpectUnit("mmHg s/mL", 133.322387415 / 1e-6, resistance);
  ExpectUnit("m^3 Pa^-1", 1, compliance);
  ExpectUnit("m^3/Pa", 1, compliance);
  ExpectUnit("mL/mmHg", 1e-6 / 133.322387415, compliance);
  ExpectUnit("mL/min", 1e-6 / 60, flow);
  ExpectUnit("uL/min", 1e-9 / 60, flow);
  ExpectUnit("L/day", 1e-3 / 86400, flow);
  ExpectUnit("kg m s^-2", 1, force);
  ExpectUnit("g cm s^-2", 1e-5, force);
  ExpectUnit("dyn/cm^2", 0.1, pressure);
  ExpectUnit("kg/m^3", 1, (HavocDim){1, -3, 0, 0, 0});
  ExpectUnit("U/mL", 1e6, (HavocDim){0, -3, 0, 1, 0});
  ExpectUnit("Hz s", 1, none);
  ExpectUnit("  mm  ", 1e-3, length);
  ExpectUnit("m^+2", 1, (HavocDim){0, 2, 0, 0, 0});
  ExpectUnit("/s", 1, (HavocDim){0, 0, -1, 0, 0});
}
END_TEST

START_TEST(quantities)
{
  ExpectQuantity("126", "mm", "m", 0.126);
  ExpectQuantity("126 mm", "mm", "m", 0.126);
  ExpectQuantity("126mm", "mm", "m", 0.126);
  ExpectQuantity("  126 mm  ", "mm", "m", 0.126);
  ExpectQuantity("1.2e-3 m", "mm", "m", 1.2e-3);
  ExpectQuantity("1.2E-3m", "mm", "m", 1.2e-3);
  ExpectQuantity(".5 cm", "mm", "m", 5e-3);
  ExpectQuantity("3.", "mm", "m", 3e-3);
  ExpectQuantity("-3 Pa", "Pa", "Pa", -3);
  ExpectQuantity("+3 kPa", "Pa", "Pa", 3e3);
  ExpectQuantity("10.9 kPa", "Pa", "Pa", 10.9e3);
  ExpectQuantity("80 mmHg", "Pa", "Pa", 80 * 133.322387415);
  ExpectQuantity("2.4875e8 Pa s m^-3", "Pa s m^-3", "Pa s m^-3", 2.4875e8);
  ExpectQuantity("45 uL/min", "m^3/s", "m^3/s", 45e-9 / 60);
  ExpectQuantity("4 cP", "Pa s", "Pa s", 4e-3);
  ExpectQuantity("0.9", NULL, "", 0.9);
  ExpectQuantity("0.9", "", "", 0.9);
  ExpectQuantity("1e2 s", NULL, "s", 100);
}
END_TEST

START_TEST(errors)
{
  ExpectQuantityError("126 kPa", "mm", "m", "expected a length (e.g. 'mm'), got 'kPa' (a pressure)");
  ExpectQuantityError("2 s", "m", "m", "expected a length (e.g. 'm'), got 's' (a time)");
  ExpectQuantityError("3 mm", "", "", "expected a dimensionless number, got 'mm' (a length)");
  ExpectQuantityError("0.5 deg", "", "", "expected a dimensionless number, got 'deg' (an angle)");
  ExpectQuantityError("30", NULL, "rad", "'30': missing unit, expected an angle (e.g. 'rad')");
  ExpectQuantityError("3 Pa m", "Pa s m^-3", "Pa s m^-3", "expected a resistance (e.g. 'Pa s m^-3'), got 'Pa m' (a tube stiffness (Pa m))");
  ExpectQuantityError("3 kg m^-2 s^-1", "Pa", "Pa", "expected a pressure (e.g. 'Pa'), got 'kg m^-2 s^-1' (kg m^-2 s^-1)");
  ExpectQuantityError("12 mmm", "mm", "m", "'12 mmm': unknown unit 'mmm'");
  ExpectQuantityError("12 mm xyz", "mm", "m", "'12 mm xyz': unknown unit 'xyz'");
  ExpectQuantityError("12 m2", "mm", "m^2", "'12 m2': unknown unit 'm2' (write powers as 'm^2')");
  ExpectQuantityError("12 mm^", "mm", "m", "'12 mm^': expected an integer after '^' in unit 'mm^'");
  ExpectQuantityError("12 m/", "mm", "m", "'12 m/': '/' must be followed by a unit in 'm/'");
  ExpectQuantityError("12 m**s", "mm", "m s", "'12 m**s': unexpected '*' in unit 'm**s'");
  ExpectQuantityError("12 *m", "mm", "m", "'12 *m': unexpected '*' in unit '*m'");
  ExpectQuantityError("12,5 mm", "mm", "m", "'12,5 mm': unexpected ',' in unit ',5 mm'");
  ExpectQuantityError("12 m^200", "mm", "m", "'12 m^200': exponent out of range in unit 'm^200'");
  ExpectQuantityError("abc", "mm", "m", "'abc': not a number");
  ExpectQuantityError("inf", "mm", "m", "'inf': not a number");
  ExpectQuantityError("nan mm", "mm", "m", "'nan mm': not a number");
  ExpectQuantityError("-", "mm", "m", "'-': not a number");
  ExpectQuantityError("0x10", "mm", "m", "'0x10': unknown unit 'x10'");
  ExpectQuantityError("", "mm", "m", "missing value");
  ExpectQuantityError("   ", "mm", "m", "missing value");
  ExpectQuantityError("126", NULL, "m", "'126': missing unit, expected a length (e.g. 'm')");
  ExpectQuantityError("1e999", "mm", "m", "'1e999': out of range");
  ExpectQuantityError("1e308 day", "s", "s", "'1e308 day': out of range");
}
END_TEST

START_TEST(describe)
{
  static const struct {
    HavocDim    dim;
    const char *name;
  } cases[] = {
    {{0, 0, 0, 0, 0}, "a dimensionless number"},
    {{0, 1, 0, 0, 0}, "a length"},
    {{0, 2, 0, 0, 0}, "an area"},
    {{0, 3, 0, 0, 0}, "a volume"},
    {{0, 0, 1, 0, 0}, "a time"},
    {{0, 0, -1, 0, 0}, "a frequency"},
    {{1, 0, 0, 0, 0}, "a mass"},
    {{1, -1, -2, 0, 0}, "a pressure"},
    {{0, 3, -1, 0, 0}, "a flow rate"},
    {{0, 1, -1, 0, 0}, "a velocity"},
    {{1, -4, -1, 0, 0}, "a resistance"},
    {{-1, 4, 2, 0, 0}, "a compliance"},
    {{1, -1, -1, 0, 0}, "a viscosity"},
    {{1, -3, 0, 0, 0}, "a density"},
    {{1, 0, -2, 0, 0}, "a tube stiffness (Pa m)"},
    {{1, 0, -1, 0, 0}, "a wall viscosity coefficient (Pa s m)"},
    {{1, 2, -3, 0, 0}, "kg m^2 s^-3"},
    {{0, -1, 0, 2, 0}, "m^-1 U^2"},
  };
  char buf[64];

  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    HavocDimDescribe(cases[i].dim, buf, sizeof(buf));
    ck_assert_str_eq(buf, cases[i].name);
  }
  HavocDimSI((HavocDim){0, 0, 0, 0, 0}, buf, sizeof(buf));
  ck_assert_str_eq(buf, "");
  HavocDimSI((HavocDim){1, -1, -2, 0, 0}, buf, sizeof(buf));
  ck_assert_str_eq(buf, "kg m^-1 s^-2");
}
END_TEST

/* HavocStrlcat truncates to the buffer and never writes past it (PETSc 3.18's PetscStrlcat does, by the
   length of what it appends); checked against a guard byte after the buffer. */
START_TEST(strlcat_bounded)
{
  char buf[9];

  memset(buf, '#', sizeof(buf));
  buf[0] = 0;
  ck_assert_int_eq(HavocStrlcat(buf, "abc", 8), 0);
  ck_assert_str_eq(buf, "abc");
  ck_assert_int_eq(HavocStrlcat(buf, "defghijk", 8), 0);
  ck_assert_str_eq(buf, "abcdefg");
  ck_assert_int_eq(HavocStrlcat(buf, "xyz", 8), 0);
  ck_assert_str_eq(buf, "abcdefg");
  ck_assert_int_eq(buf[8], '#');
}
END_TEST

int main(int argc, char **argv)
{
  Suite *suite = suite_create("units");
  TCase *tc    = tcase_create("units");
  int    failed;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  tcase_add_test(tc, strlcat_bounded);
  tcase_add_test(tc, symbols);
  tcase_add_test(tc, micro_sign);
  tcase_add_test(tc, expressions);
  tcase_add_test(tc, quantities);
  tcase_add_test(tc, errors);
  tcase_add_test(tc, describe);
  suite_add_tcase(suite, tc);
  failed = HavocRunSuite(suite);
  if (PetscFinalize()) return 1;
  return failed ? 1 : 0;
}
