/* Quantities with units: "126 mm", "10.9 kPa", "2.4875e8 Pa s m^-3", "45 uL/min".

   Inside havoc every value is SI. Inputs (mesh files, case files, options) may carry a unit; a bare
   number is read in the unit the field documents. A unit of the wrong kind ("126 kPa" for a length) is
   an error that says what was expected.

   The grammar of a unit expression: factors separated by spaces or '*', each factor a symbol with an
   optional integer exponent "^n"; a '/' divides by the factor that follows it ("mL/min", "Pa s/m^3").
   Symbols: m cm mm um, kg g mg, s ms us min h day, mPa Pa kPa MPa GPa mmHg cmH2O bar, N dyn, L mL uL nL,
   P cP (poise), Hz, U (enzyme activity units), rad deg (angles). */
#pragma once

#include <stddef.h>

/* Exponents of kilogram, metre, second, enzyme unit and radian. The radian is kept apart from the
   dimensionless numbers, so that an angle is never taken for a ratio or a count, nor the other way. */
typedef struct {
  int kg, m, s, u, rad;
} HavocDim;

/* Parses a unit expression. Returns 0 and the factor to SI and the dimension, or non-zero with a
   message in err. An empty expression is dimensionless with factor 1. */
int HavocUnitParse(const char *expr, double *to_si, HavocDim *dim, char *err, size_t errlen);

/* Parses a quantity "number [unit]" into SI. bare_unit is the unit of a number written without one
   (NULL: a bare number is an error unless expected_unit is dimensionless); expected_unit fixes the
   dimension the quantity must have. Returns 0, or non-zero with a message in err such as
   "expected a pressure (e.g. 'Pa'), got 'mm' (a length)". */
int HavocQuantityParse(const char *text, const char *bare_unit, const char *expected_unit, double *si, char *err, size_t errlen);

/* A short human name for a dimension ("a length", "a pressure", "a flow rate") or its SI expression. */
void HavocDimDescribe(HavocDim dim, char *buf, size_t len);

/* The SI expression of a dimension in base units, "kg m^-1 s^-2"; empty when dimensionless. */
void HavocDimSI(HavocDim dim, char *buf, size_t len);

int HavocDimEqual(HavocDim a, HavocDim b);
