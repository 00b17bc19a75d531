/* Units of measure: unit expressions and quantities ("126 mm", "2.4875e8 Pa s m^-3", "45 uL/min") to SI.
   Plain C without PETSc: the parsers report through a message buffer so that each caller can say where
   the text came from (a file and line, an option). */
#include "units.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIM_NONE  \
  {               \
    0, 0, 0, 0, 0 \
  }
#define DIM_LENGTH \
  {                \
    0, 1, 0, 0, 0  \
  }
#define DIM_MASS  \
  {               \
    1, 0, 0, 0, 0 \
  }
#define DIM_TIME  \
  {               \
    0, 0, 1, 0, 0 \
  }
#define DIM_PRESSURE \
  {                  \
    1, -1, -2, 0, 0  \
  }
#define DIM_FORCE  \
  {                \
    1, 1, -2, 0, 0 \
  }
#define DIM_VOLUME \
  {                \
    0, 3, 0, 0, 0  \
  }
#define DIM_VISCOSITY \
  {                   \
    1, -1, -1, 0, 0   \
  }
#define DIM_FREQUENCY \
  {                   \
    0, 0, -1, 0, 0    \
  }
#define DIM_ENZYME \
  {                \
    0, 0, 0, 1, 0  \
  }
#define DIM_ANGLE \
  {               \
    0, 0, 0, 0, 1 \
  }

typedef struct {
  const char *symbol;
  double      to_si;
  HavocDim    dim;
} Unit;

/* Each prefixed unit is its own entry with a literal factor, so "mL" is exactly 1e-6 and not 1e-3 * 1e-3. */
static const Unit units[] = {
  {"m", 1, DIM_LENGTH},
  {"cm", 1e-2, DIM_LENGTH},
  {"mm", 1e-3, DIM_LENGTH},
  {"um", 1e-6, DIM_LENGTH},
  {"kg", 1, DIM_MASS},
  {"g", 1e-3, DIM_MASS},
  {"mg", 1e-6, DIM_MASS},
  {"s", 1, DIM_TIME},
  {"ms", 1e-3, DIM_TIME},
  {"us", 1e-6, DIM_TIME},
  {"min", 60, DIM_TIME},
  {"h", 3600, DIM_TIME},
  {"day", 86400, DIM_TIME},
  {"Pa", 1, DIM_PRESSURE},
  {"mPa", 1e-3, DIM_PRESSURE},
  {"kPa", 1e3, DIM_PRESSURE},
  {"MPa", 1e6, DIM_PRESSURE},
  {"GPa", 1e9, DIM_PRESSURE},
  {"mmHg", 133.322387415, DIM_PRESSURE},
  {"cmH2O", 98.0665, DIM_PRESSURE},
  {"bar", 1e5, DIM_PRESSURE},
  {"N", 1, DIM_FORCE},
  {"dyn", 1e-5, DIM_FORCE},
  {"L", 1e-3, DIM_VOLUME},
  {"mL", 1e-6, DIM_VOLUME},
  {"uL", 1e-9, DIM_VOLUME},
  {"nL", 1e-12, DIM_VOLUME},
  {"P", 0.1, DIM_VISCOSITY},
  {"cP", 1e-3, DIM_VISCOSITY},
  {"Hz", 1, DIM_FREQUENCY},
  {"U", 1, DIM_ENZYME},
  {"rad", 1, DIM_ANGLE},
  {"deg", 0.017453292519943295, DIM_ANGLE},
};

static const struct {
  HavocDim    dim;
  const char *name;
} dim_names[] = {
  {DIM_NONE, "a dimensionless number"},
  {DIM_LENGTH, "a length"},
  {{0, 2, 0, 0, 0}, "an area"},
  {DIM_VOLUME, "a volume"},
  {DIM_TIME, "a time"},
  {DIM_FREQUENCY, "a frequency"},
  {DIM_MASS, "a mass"},
  {DIM_PRESSURE, "a pressure"},
  {DIM_FORCE, "a force"},
  {{0, 3, -1, 0, 0}, "a flow rate"},
  {{0, 1, -1, 0, 0}, "a velocity"},
  {{1, -4, -1, 0, 0}, "a resistance"},
  {{-1, 4, 2, 0, 0}, "a compliance"},
  {DIM_VISCOSITY, "a viscosity"},
  {{1, -3, 0, 0, 0}, "a density"},
  {{1, 0, -2, 0, 0}, "a tube stiffness (Pa m)"},
  {{1, 0, -1, 0, 0}, "a wall viscosity coefficient (Pa s m)"},
  {DIM_ENZYME, "an amount of enzyme"},
  {{0, -3, 0, 1, 0}, "an enzyme concentration"},
  {DIM_ANGLE, "an angle"},
};

static int Fail(char *err, size_t errlen, const char *fmt, ...)
{
  va_list ap;

  if (err && errlen) {
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return 1;
}

static int IsSpace(char c)
{
  return c == ' ' || c == '\t';
}

static int IsLetter(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int IsDigit(char c)
{
  return c >= '0' && c <= '9';
}

/* Length in bytes of a micro sign at p: U+00B5 (the micro sign) or U+03BC (Greek mu), both in use. */
static int MicroLength(const char *p)
{
  if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xB5) return 2;
  if ((unsigned char)p[0] == 0xCE && (unsigned char)p[1] == 0xBC) return 2;
  return 0;
}

static const Unit *FindUnit(const char *symbol)
{
  for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
    if (!strcmp(units[i].symbol, symbol)) return &units[i];
  return NULL;
}

int HavocDimEqual(HavocDim a, HavocDim b)
{
  return a.kg == b.kg && a.m == b.m && a.s == b.s && a.u == b.u && a.rad == b.rad;
}

int HavocUnitParse(const char *expr, double *to_si, HavocDim *dim, char *err, size_t errlen)
{
  const char *p       = expr;
  double      factor  = 1;
  HavocDim    d       = DIM_NONE;
  int         divide  = 0;
  char        pending = 0; /* an operator still waiting for its factor */

  for (;;) {
    char        symbol[32];
    const char *start;
    size_t      n     = 0;
    long        power = 1;
    const Unit *unit;

    while (IsSpace(*p))
      p++;
    if (!*p) break;
    if (*p == '*' || *p == '/') {
      if (pending || (*p == '*' && p == expr)) return Fail(err, errlen, "unexpected '%c' in unit '%s'", *p, expr);
      divide  = *p == '/';
      pending = *p++;
      continue;
    }
    start = p;
    while (n + 1 < sizeof(symbol)) {
      const int micro = MicroLength(p);
      if (micro) {
        symbol[n++] = 'u';
        p += micro;
      } else if (IsLetter(*p) || (n && IsDigit(*p))) symbol[n++] = *p++;
      else break;
    }
    symbol[n] = 0;
    if (!n) return Fail(err, errlen, "unexpected '%c' in unit '%s'", *p, expr);
    unit = FindUnit(symbol);
    if (!unit) {
      size_t base = n;
      while (base && IsDigit(symbol[base - 1]))
        base--;
      if (base < n) {
        char power_digits[32];
        strcpy(power_digits, symbol + base);
        symbol[base] = 0;
        if (FindUnit(symbol)) return Fail(err, errlen, "unknown unit '%.*s' (write powers as '%s^%s')", (int)(p - start), start, symbol, power_digits);
      }
      return Fail(err, errlen, "unknown unit '%.*s'", (int)(p - start), start);
    }
    if (*p == '^') {
      char *end;
      p++;
      if (!(IsDigit(*p) || ((*p == '-' || *p == '+') && IsDigit(p[1])))) return Fail(err, errlen, "expected an integer after '^' in unit '%s'", expr);
      power = strtol(p, &end, 10);
      if (power > 99 || power < -99) return Fail(err, errlen, "exponent out of range in unit '%s'", expr);
      p = end;
    }
    if (divide) power = -power;
    factor *= pow(unit->to_si, (double)power);
    d.kg += (int)power * unit->dim.kg;
    d.m += (int)power * unit->dim.m;
    d.s += (int)power * unit->dim.s;
    d.u += (int)power * unit->dim.u;
    d.rad += (int)power * unit->dim.rad;
    divide  = 0;
    pending = 0;
  }
  if (pending) return Fail(err, errlen, "'%c' must be followed by a unit in '%s'", pending, expr);
  *to_si = factor;
  *dim   = d;
  return 0;
}

void HavocDimSI(HavocDim dim, char *buf, size_t len)
{
  const int   power[5]  = {dim.kg, dim.m, dim.s, dim.u, dim.rad};
  const char *symbol[5] = {"kg", "m", "s", "U", "rad"};
  size_t      n         = 0;

  if (len) buf[0] = 0;
  for (int i = 0; i < 5; i++) {
    if (!power[i] || n >= len) continue;
    if (power[i] == 1) n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "", symbol[i]);
    else n += (size_t)snprintf(buf + n, len - n, "%s%s^%d", n ? " " : "", symbol[i], power[i]);
  }
}

void HavocDimDescribe(HavocDim dim, char *buf, size_t len)
{
  for (size_t i = 0; i < sizeof(dim_names) / sizeof(dim_names[0]); i++) {
    if (HavocDimEqual(dim, dim_names[i].dim)) {
      snprintf(buf, len, "%s", dim_names[i].name);
      return;
    }
  }
  HavocDimSI(dim, buf, len);
}

/* Length of a decimal number at p: sign, digits with an optional point, optional exponent. strtod alone
   would also take "inf", "nan" and hexadecimal, which are not quantities. */
static size_t NumberLength(const char *p)
{
  size_t n = 0, digits = 0;

  if (p[n] == '+' || p[n] == '-') n++;
  for (; IsDigit(p[n]); n++)
    digits++;
  if (p[n] == '.') {
    for (n++; IsDigit(p[n]); n++)
      digits++;
  }
  if (!digits) return 0;
  if (p[n] == 'e' || p[n] == 'E') {
    size_t e = n + 1;
    if (p[e] == '+' || p[e] == '-') e++;
    if (IsDigit(p[e])) {
      while (IsDigit(p[e]))
        e++;
      n = e;
    }
  }
  return n;
}

int HavocQuantityParse(const char *text, const char *bare_unit, const char *expected_unit, double *si, char *err, size_t errlen)
{
  const char *p = text, *unit_text;
  char        number[64], unit_buf[128], msg[256];
  size_t      n, unit_len;
  double      value, factor, expected_factor;
  HavocDim    dim, expected_dim;

  if (HavocUnitParse(expected_unit, &expected_factor, &expected_dim, msg, sizeof(msg))) return Fail(err, errlen, "invalid expected unit: %s", msg);
  while (IsSpace(*p))
    p++;
  if (!*p) return Fail(err, errlen, "missing value");
  n = NumberLength(p);
  if (!n || n >= sizeof(number)) return Fail(err, errlen, "'%s': not a number", text);
  memcpy(number, p, n);
  number[n] = 0;
  value     = strtod(number, NULL);
  for (p += n; IsSpace(*p); p++) {}
  unit_text = p;
  unit_len  = strlen(p);
  while (unit_len && IsSpace(p[unit_len - 1]))
    unit_len--;
  if (unit_len >= sizeof(unit_buf)) return Fail(err, errlen, "'%s': unit too long", text);
  memcpy(unit_buf, unit_text, unit_len);
  unit_buf[unit_len] = 0;
  if (!unit_len) {
    if (!bare_unit && !HavocDimEqual(expected_dim, (HavocDim)DIM_NONE)) {
      char what[64];
      HavocDimDescribe(expected_dim, what, sizeof(what));
      return Fail(err, errlen, "'%s': missing unit, expected %s (e.g. '%s')", text, what, expected_unit);
    }
    if (bare_unit) snprintf(unit_buf, sizeof(unit_buf), "%s", bare_unit);
  }
  if (HavocUnitParse(unit_buf, &factor, &dim, msg, sizeof(msg))) return Fail(err, errlen, "'%s': %s", text, msg);
  if (!HavocDimEqual(dim, expected_dim)) {
    char        want[64], got[64];
    const char *example = expected_unit;
    double      bare_factor;
    HavocDim    bare_dim;

    /* The bare unit is the one the user is most likely to write for this field. */
    if (bare_unit && bare_unit[0] && !HavocUnitParse(bare_unit, &bare_factor, &bare_dim, NULL, 0) && HavocDimEqual(bare_dim, expected_dim)) example = bare_unit;
    HavocDimDescribe(expected_dim, want, sizeof(want));
    HavocDimDescribe(dim, got, sizeof(got));
    if (example[0]) return Fail(err, errlen, "expected %s (e.g. '%s'), got '%s' (%s)", want, example, unit_buf, got);
    return Fail(err, errlen, "expected %s, got '%s' (%s)", want, unit_buf, got);
  }
  value *= factor;
  if (!isfinite(value)) return Fail(err, errlen, "'%s': out of range", text);
  *si = value;
  return 0;
}
