/* Pictures of a run with cairo (render.h): the arterial tree over the face, the tissue zone map and
   time-series plots, as PNG or SVG (by the file name's extension), from the run's files only. Every
   picture has a title band (case, what, time), a drawing area and a panel on the right (colour bar,
   legend). */
#include "io.h"
#include "render.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define TITLE_H      66.0 /* title band [px] */
#define MARGIN       18.0
#define MMHG         133.322387415
#define M3S_TO_MLMIN 6.0e7

static double PanelWidth(double w)
{
  return PetscMin(220.0, 0.3 * w);
}

/* ---------------------------------------------------------------------------------------------------- */
/* Output: a canvas written to a temporary file next to the target and renamed when complete. */

typedef struct {
  cairo_surface_t *surface;
  cairo_t         *cr;
  FILE            *fp;
  PetscBool        svg;
  double           w, h;
  char             path[PETSC_MAX_PATH_LEN], tmp[PETSC_MAX_PATH_LEN];
} Canvas;

static cairo_status_t WriteStream(void *closure, const unsigned char *data, unsigned int len)
{
  return fwrite(data, 1, len, (FILE *)closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

PetscErrorCode HavocRenderFormat(const char path[], PetscBool *svg)
{
  size_t n = strlen(path);

  PetscFunctionBeginUser;
  *svg = (PetscBool)(n > 4 && !strcasecmp(path + n - 4, ".svg"));
  PetscCheck(*svg || (n > 4 && !strcasecmp(path + n - 4, ".png")), PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "-o %s: expected a file name ending in .png or .svg (the format follows the extension)", path);
  PetscFunctionReturn(0);
}

static PetscErrorCode CanvasOpen(const char path[], const HavocRenderOptions *o, Canvas *c)
{
  const char *slash = strrchr(path, '/');

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(c, sizeof(*c)));
  PetscCall(HavocRenderFormat(path, &c->svg));
  PetscCall(PetscStrncpy(c->path, path, sizeof(c->path)));
  if (slash) PetscCall(PetscSNPrintf(c->tmp, sizeof(c->tmp), "%.*s/.%s.tmp", (int)(slash - path), path, slash + 1));
  else PetscCall(PetscSNPrintf(c->tmp, sizeof(c->tmp), ".%s.tmp", path));
  c->fp = fopen(c->tmp, "wb");
  PetscCheck(c->fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot write '%s': %s", path, strerror(errno));
  c->w = (double)o->width;
  c->h = (double)o->height;
  if (c->svg) c->surface = cairo_svg_surface_create_for_stream(WriteStream, c->fp, c->w, c->h);
  else c->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)o->width, (int)o->height);
  if (cairo_surface_status(c->surface) != CAIRO_STATUS_SUCCESS) {
    cairo_status_t st = cairo_surface_status(c->surface);
    cairo_surface_destroy(c->surface);
    (void)fclose(c->fp);
    (void)unlink(c->tmp);
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "cannot draw '%s' (%d x %d): %s", path, (int)o->width, (int)o->height, cairo_status_to_string(st));
  }
  c->cr = cairo_create(c->surface);
  cairo_set_source_rgb(c->cr, 1, 1, 1);
  cairo_paint(c->cr);
  cairo_select_font_face(c->cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  PetscFunctionReturn(0);
}

static PetscErrorCode CanvasClose(Canvas *c)
{
  cairo_status_t st = cairo_status(c->cr);
  int            closed, e = 0;

  PetscFunctionBeginUser;
  cairo_destroy(c->cr);
  if (st == CAIRO_STATUS_SUCCESS) {
    if (c->svg) {
      cairo_surface_finish(c->surface);
      st = cairo_surface_status(c->surface);
    } else st = cairo_surface_write_to_png_stream(c->surface, WriteStream, c->fp);
  }
  cairo_surface_destroy(c->surface);
  if (fflush(c->fp)) e = errno;
  closed = fclose(c->fp);
  if (closed && !e) e = errno;
  if (st != CAIRO_STATUS_SUCCESS || e) {
    (void)unlink(c->tmp);
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot write '%s': %s", c->path, e ? strerror(e) : cairo_status_to_string(st));
  }
  if (rename(c->tmp, c->path)) {
    e = errno;
    (void)unlink(c->tmp);
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot write '%s': %s", c->path, strerror(e));
  }
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------------- */
/* Text, numbers, colours */

/* Text with its baseline at y; ha: 0 left, 0.5 centred, 1 right aligned. */
static void Text(cairo_t *cr, double x, double y, double size, double ha, const char *s)
{
  cairo_text_extents_t e;

  cairo_set_font_size(cr, size);
  cairo_text_extents(cr, s, &e);
  cairo_move_to(cr, x - ha * e.x_advance, y);
  cairo_show_text(cr, s);
}

static void Bold(cairo_t *cr, PetscBool on)
{
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, on ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
}

static void FormatTime(PetscReal t, char *buf, size_t len)
{
  if (t >= 3600 - 1e-6) snprintf(buf, len, "%.4g h", (double)(t / 3600));
  else if (t >= 60 - 1e-9) snprintf(buf, len, "%.4g min", (double)(t / 60));
  else snprintf(buf, len, "%.4g s", (double)t);
}

/* The unit of a time axis that runs to tmax [s]: its factor from s and its name. */
static void TimeAxis(PetscReal tmax, double *f, const char **unit)
{
  if (tmax >= 3 * 3600) {
    *f    = 1.0 / 3600;
    *unit = "h";
  } else if (tmax >= 180) {
    *f    = 1.0 / 60;
    *unit = "min";
  } else {
    *f    = 1;
    *unit = "s";
  }
}

static double NiceStep(double range, int n)
{
  double raw = range / n, m, r;

  if (!(raw > 0)) return 1;
  m = pow(10, floor(log10(raw)));
  r = raw / m;
  return (r < 1.5 ? 1 : r < 3 ? 2
                      : r < 7 ? 5
                              : 10) *
         m;
}

static void FormatTick(double v, double step, char *buf, size_t len)
{
  int dec = 0;

  while (dec < 6 && fabs(step * pow(10, dec) - floor(step * pow(10, dec) + 0.5)) > 1e-6 * step * pow(10, dec))
    dec++;
  if (fabs(v) < 1e-12 * step) v = 0;
  if (fabs(v) >= 1e5 || (v != 0 && fabs(v) < 1e-3)) snprintf(buf, len, "%.3g", v);
  else snprintf(buf, len, "%.*f", PetscMin(dec, 6), v);
}

typedef struct {
  double v, r, g, b;
} Stop;

/* flow fraction on [0, 1.5]: occluded dark red, reduced orange to yellow, healthy green, increased blue */
static const Stop flow_stops[] = {
  {0, 0.45, 0.00, 0.05},
  {1.0 / 6.0, 0.80, 0.10, 0.10},
  {1.0 / 3.0, 0.96, 0.55, 0.15},
  {0.5, 0.93, 0.83, 0.30},
  {2.0 / 3.0, 0.30, 0.65, 0.30},
  {1, 0.15, 0.35, 0.75}};
/* pressure, velocity: viridis */
static const Stop viridis_stops[] = {
  {0, 0.267, 0.005, 0.329},
  {0.25, 0.229, 0.322, 0.546},
  {0.5, 0.128, 0.567, 0.551},
  {0.75, 0.369, 0.789, 0.383},
  {1, 0.993, 0.906, 0.144}};
static const double palette[10][3] = {
  {0.12, 0.47, 0.71},
  {1.00, 0.50, 0.05},
  {0.17, 0.63, 0.17},
  {0.84, 0.15, 0.16},
  {0.58, 0.40, 0.74},
  {0.55, 0.34, 0.29},
  {0.89, 0.47, 0.76},
  {0.50, 0.50, 0.50},
  {0.74, 0.74, 0.13},
  {0.09, 0.75, 0.81}};
static const double no_data_rgb[3] = {0.62, 0.62, 0.62};

typedef struct {
  const Stop *stops;
  int         n;
  double      lo, hi; /* the values at the ends of the colour bar */
  double      tick;   /* tick interval; 0: chosen */
  char        label[64], unit[48];
} Scale;

static void ScaleColor(const Scale *s, double v, double rgb[3])
{
  double t;

  if (!isfinite(v)) {
    for (int c = 0; c < 3; c++)
      rgb[c] = no_data_rgb[c];
    return;
  }
  t = (v - s->lo) / (s->hi - s->lo);
  t = t < 0 ? 0 : t > 1 ? 1
                        : t;
  for (int i = 1; i < s->n; i++)
    if (t <= s->stops[i].v || i == s->n - 1) {
      const Stop *a = &s->stops[i - 1], *b = &s->stops[i];
      double      u = (t - a->v) / (b->v - a->v);
      u             = u < 0 ? 0 : u > 1 ? 1
                                        : u;
      rgb[0]        = a->r + u * (b->r - a->r);
      rgb[1]        = a->g + u * (b->g - a->g);
      rgb[2]        = a->b + u * (b->b - a->b);
      return;
    }
}

void HavocRenderZoneColor(PetscInt zone, PetscReal rgb[3])
{
  static const double c[5][3] = {
    {1.00, 1.00, 1.00}, /* no tissue */
    {0.80, 0.90, 0.76}, /* normal */
    {0.99, 0.82, 0.35}, /* ischemic */
    {0.93, 0.45, 0.13}, /* at risk */
    {0.33, 0.05, 0.22}  /* necrotic */
  };
  PetscInt k = zone < -1 ? 0 : zone > 3 ? 4
                                        : zone + 1;
  for (int i = 0; i < 3; i++)
    rgb[i] = c[k][i];
}

/* ---------------------------------------------------------------------------------------------------- */
/* Reading */

static PetscErrorCode CaseName(const HavocPost *p, char buf[], size_t len)
{
  PetscFunctionBeginUser;
  PetscCall(HavocPostAttribute(p, "/", "case", buf, len));
  if (!buf[0] && p->summary && json_is_string(json_object_get(p->summary, "case"))) PetscCall(PetscStrncpy(buf, json_string_value(json_object_get(p->summary, "case")), len));
  if (!buf[0]) PetscCall(PetscStrncpy(buf, p->dir, len));
  PetscFunctionReturn(0);
}

static PetscErrorCode NeedDataset(const HavocPost *p, const char path[], const char why[])
{
  PetscFunctionBeginUser;
  PetscCheck(p->file >= 0, PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "%s: cannot read %s (no result.h5)", p->dir, path);
  PetscCheck(HavocPostHas(p, path), PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "%s has no %s: %s", p->h5path, path, why);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocRenderOptionsDefault(HavocRenderOptions *o)
{
  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(o, sizeof(*o)));
  PetscCall(PetscStrncpy(o->color, "flow_fraction", sizeof(o->color)));
  o->time   = -1;
  o->width  = 900;
  o->height = 900;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocRenderTimes(const HavocPost *p, PetscInt *n, PetscReal **times)
{
  hsize_t m = 0;

  PetscFunctionBeginUser;
  *n     = 0;
  *times = NULL;
  if (HavocPostHas(p, "/tissue/times")) PetscCall(HavocPostRead(p, "/tissue/times", times, &m));
  else if (HavocPostHas(p, "/fields/t")) PetscCall(HavocPostRead(p, "/fields/t", times, &m));
  else PetscCall(PetscMalloc1(1, times));
  *n = (PetscInt)m;
  PetscFunctionReturn(0);
}

/* The recorded time nearest o->time (the last if o->time < 0): its index k and value t; k = -1 when the
   run records no times. */
static PetscErrorCode PickTime(const HavocPost *p, const HavocRenderOptions *o, PetscInt *k, PetscReal *t)
{
  PetscInt   n;
  PetscReal *times;

  PetscFunctionBeginUser;
  PetscCall(HavocRenderTimes(p, &n, &times));
  *k = n - 1;
  *t = n ? times[n - 1] : -1;
  if (o->time >= 0)
    for (PetscInt i = 0; i < n; i++)
      if (PetscAbsReal(times[i] - o->time) < PetscAbsReal(times[*k] - o->time)) *k = i;
  if (*k >= 0) *t = times[*k];
  PetscCall(PetscFree(times));
  PetscFunctionReturn(0);
}

/* The tissue map: cells, origin, cell size and the territory of every cell (-1: no tissue). */
typedef struct {
  PetscBool  has;
  PetscInt   nx, ny;
  PetscReal  origin[2], dx;
  PetscReal *territory;
} Map;

static PetscErrorCode MapRead(const HavocPost *p, Map *m)
{
  int        nd;
  hsize_t    dims[4], n;
  PetscReal *origin;
  PetscBool  found;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(m, sizeof(*m)));
  if (!HavocPostHas(p, "/tissue/territory") || !HavocPostHas(p, "/tissue/origin")) PetscFunctionReturn(0);
  PetscCall(HavocPostShape(p, "/tissue/territory", &nd, dims));
  PetscCheck(nd == 3 && dims[0] > 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: /tissue/territory: expected [time][y][x]", p->h5path);
  m->ny = (PetscInt)dims[1];
  m->nx = (PetscInt)dims[2];
  PetscCall(HavocPostRead(p, "/tissue/origin", &origin, &n));
  PetscCheck(n == 2, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: /tissue/origin: expected 2 values", p->h5path);
  m->origin[0] = origin[0];
  m->origin[1] = origin[1];
  PetscCall(PetscFree(origin));
  PetscCall(HavocPostAttributeReal(p, "/tissue/origin", "dx", &m->dx, &found));
  if (!found) PetscCall(HavocPostAttributeReal(p, "/tissue", "dx", &m->dx, &found));
  if (!found && p->summary) {
    json_t *dx = json_object_get(json_object_get(json_object_get(p->summary, "tissue"), "map"), "dx_m");
    if (json_is_number(dx)) {
      m->dx = json_number_value(dx);
      found = PETSC_TRUE;
    }
  }
  PetscCheck(found && m->dx > 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: /tissue has no cell size (attribute dx)", p->h5path);
  PetscCall(HavocPostReadSlab(p, "/tissue/territory", 0, &m->territory, &n));
  m->has = PETSC_TRUE;
  PetscFunctionReturn(0);
}

static PetscErrorCode MapFree(Map *m)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree(m->territory));
  PetscFunctionReturn(0);
}

#define INSIDE(m, i, j) ((i) >= 0 && (j) >= 0 && (i) < (m)->nx && (j) < (m)->ny && (m)->territory[(j) * (m)->nx + (i)] >= 0)

static PetscErrorCode FrameCompute(const HavocPost *p, const Map *m, const HavocRenderOptions *o, HavocRenderFrame *f)
{
  PetscReal lo[2] = {PETSC_MAX_REAL, PETSC_MAX_REAL}, hi[2] = {PETSC_MIN_REAL, PETSC_MIN_REAL}, bw, bh, big;
  double    ax0 = MARGIN, ax1 = (double)o->width - PanelWidth((double)o->width) - MARGIN, ay0 = TITLE_H + 4, ay1 = (double)o->height - MARGIN;

  PetscFunctionBeginUser;
  PetscCheck(p->points, PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "%s has no /network/cell_points (written by havoc since the post-processing release): run the case again to draw it", p->h5path);
  for (PetscInt c = 0; c < p->nc + p->nv; c++)
    for (int d = 0; d < 2; d++) {
      lo[d] = PetscMin(lo[d], p->points[3 * c + d]);
      hi[d] = PetscMax(hi[d], p->points[3 * c + d]);
    }
  if (m->has)
    for (PetscInt j = 0; j < m->ny; j++)
      for (PetscInt i = 0; i < m->nx; i++)
        if (INSIDE(m, i, j)) {
          lo[0] = PetscMin(lo[0], m->origin[0] + i * m->dx);
          hi[0] = PetscMax(hi[0], m->origin[0] + (i + 1) * m->dx);
          lo[1] = PetscMin(lo[1], m->origin[1] + j * m->dx);
          hi[1] = PetscMax(hi[1], m->origin[1] + (j + 1) * m->dx);
        }
  bw  = hi[0] - lo[0];
  bh  = hi[1] - lo[1];
  big = PetscMax(PetscMax(bw, bh), 1e-3);
  /* a straight tree (a benchmark) gets some room across */
  if (bw < 0.2 * big) {
    lo[0] -= 0.1 * big - bw / 2;
    hi[0] += 0.1 * big - bw / 2;
    bw = hi[0] - lo[0];
  }
  if (bh < 0.2 * big) {
    lo[1] -= 0.1 * big - bh / 2;
    hi[1] += 0.1 * big - bh / 2;
    bh = hi[1] - lo[1];
  }
  bw *= 1.04;
  bh *= 1.04;
  f->scale = PetscMin((ax1 - ax0) / bw, (ay1 - ay0) / bh);
  f->x0    = (ax0 + ax1) / 2 - f->scale * (lo[0] + hi[0]) / 2;
  f->y0    = (ay0 + ay1) / 2 + f->scale * (lo[1] + hi[1]) / 2;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocRenderFaceFrame(const HavocPost *p, const HavocRenderOptions *o, HavocRenderFrame *f)
{
  Map m;

  PetscFunctionBeginUser;
  PetscCall(MapRead(p, &m));
  PetscCall(FrameCompute(p, &m, o, f));
  PetscCall(MapFree(&m));
  PetscFunctionReturn(0);
}

#define PX(f, x) ((f)->x0 + (f)->scale * (x))
#define PY(f, y) ((f)->y0 - (f)->scale * (y))

/* ---------------------------------------------------------------------------------------------------- */
/* Pieces of the pictures */

static PetscErrorCode DrawTitle(Canvas *c, const HavocPost *p, const HavocRenderOptions *o, const char what[], const char sub[])
{
  char name[256], line[512];

  PetscFunctionBeginUser;
  PetscCall(CaseName(p, name, sizeof(name)));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: %s", name, what));
  cairo_set_source_rgb(c->cr, 0.1, 0.1, 0.1);
  Bold(c->cr, PETSC_TRUE);
  Text(c->cr, MARGIN, 28, 18, 0, line);
  Bold(c->cr, PETSC_FALSE);
  cairo_set_source_rgb(c->cr, 0.3, 0.3, 0.3);
  if (sub && sub[0]) Text(c->cr, MARGIN, 47, 12, 0, sub);
  if (o->label[0]) Text(c->cr, MARGIN, 62, 12, 0, o->label);
  PetscFunctionReturn(0);
}

/* The face: cells with a territory filled (fill != NULL) and their boundary drawn. */
static PetscErrorCode DrawFace(cairo_t *cr, const Map *m, const HavocRenderFrame *f, const double *fill)
{
  PetscFunctionBeginUser;
  if (!m->has) PetscFunctionReturn(0);
  if (fill) {
    cairo_save(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    for (PetscInt j = 0; j < m->ny; j++)
      for (PetscInt i = 0; i < m->nx;) {
        PetscInt e = i;
        if (!INSIDE(m, i, j)) {
          i++;
          continue;
        }
        while (e < m->nx && INSIDE(m, e, j))
          e++;
        cairo_rectangle(cr, PX(f, m->origin[0] + i * m->dx), PY(f, m->origin[1] + (j + 1) * m->dx), (e - i) * m->dx * f->scale, m->dx * f->scale);
        i = e;
      }
    cairo_set_source_rgb(cr, fill[0], fill[1], fill[2]);
    cairo_fill(cr);
    cairo_restore(cr);
  }
  for (PetscInt j = 0; j <= m->ny; j++) /* horizontal edges below row j */
    for (PetscInt i = 0; i < m->nx; i++)
      if (INSIDE(m, i, j) != INSIDE(m, i, j - 1)) {
        PetscInt e = i;
        while (e < m->nx && INSIDE(m, e, j) != INSIDE(m, e, j - 1) && INSIDE(m, e, j) == INSIDE(m, i, j))
          e++;
        cairo_move_to(cr, PX(f, m->origin[0] + i * m->dx), PY(f, m->origin[1] + j * m->dx));
        cairo_line_to(cr, PX(f, m->origin[0] + e * m->dx), PY(f, m->origin[1] + j * m->dx));
        i = e - 1;
      }
  for (PetscInt i = 0; i <= m->nx; i++) /* vertical edges left of column i */
    for (PetscInt j = 0; j < m->ny; j++)
      if (INSIDE(m, i, j) != INSIDE(m, i - 1, j)) {
        PetscInt e = j;
        while (e < m->ny && INSIDE(m, i, e) != INSIDE(m, i - 1, e) && INSIDE(m, i, e) == INSIDE(m, i, j))
          e++;
        cairo_move_to(cr, PX(f, m->origin[0] + i * m->dx), PY(f, m->origin[1] + j * m->dx));
        cairo_line_to(cr, PX(f, m->origin[0] + i * m->dx), PY(f, m->origin[1] + e * m->dx));
        j = e - 1;
      }
  cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
  cairo_set_line_width(cr, 1.4);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_stroke(cr);
  PetscFunctionReturn(0);
}

/* Line width of a vessel of radius r [m] when the largest is rmax. */
static double VesselWidth(PetscReal r, PetscReal rmax)
{
  return 0.8 + 6.0 * PetscSqrtReal(PetscMax(r, 0) / rmax);
}

/* A point at arc length x [m] along vessel i. */
static void VesselPoint(const HavocPost *p, PetscInt i, PetscReal x, PetscReal len, PetscReal *px, PetscReal *py)
{
  PetscReal s = len > 0 ? x / len * p->cells[i] : 0;
  PetscInt  k;

  s = s < 0 ? 0 : s > p->cells[i] ? p->cells[i]
                                  : s;
  k = (PetscInt)PetscFloorReal(s);
  k = k >= p->cells[i] ? p->cells[i] - 1 : k;
  s -= k;
  {
    const PetscReal *a = &p->points[3 * (p->offset[i] + i + k)], *b = a + 3;
    *px = a[0] + s * (b[0] - a[0]);
    *py = a[1] + s * (b[1] - a[1]);
  }
}

/* The slugs of gel at time t (t < 0: the last record): per slug its vessel, span and state. */
typedef struct {
  PetscInt   n;
  PetscInt  *vessel, *state;
  PetscReal *xa, *xb;
} Slugs;

static PetscErrorCode SlugsRead(const HavocPost *p, PetscReal t, Slugs *s)
{
  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(s, sizeof(*s)));
  if (HavocPostHas(p, "/bolus/trajectory_t")) {
    PetscReal *tt, *id, *v, *xa, *xb, *st;
    hsize_t    n, nslug = 0;
    PetscInt  *best;
    PetscCall(HavocPostRead(p, "/bolus/trajectory_t", &tt, &n));
    PetscCall(HavocPostRead(p, "/bolus/trajectory_slug", &id, &n));
    PetscCall(HavocPostRead(p, "/bolus/trajectory_vessel", &v, &n));
    PetscCall(HavocPostRead(p, "/bolus/trajectory_xa", &xa, &n));
    PetscCall(HavocPostRead(p, "/bolus/trajectory_xb", &xb, &n));
    PetscCall(HavocPostRead(p, "/bolus/trajectory_state", &st, &n));
    for (hsize_t r = 0; r < n; r++)
      nslug = PetscMax(nslug, (hsize_t)id[r] + 1);
    PetscCall(PetscMalloc1(nslug + 1, &best));
    for (hsize_t k = 0; k < nslug; k++)
      best[k] = -1;
    /* per slug its latest record at or before t; a slug first recorded later (a restart, whose gel was
       already in place) is shown as first recorded */
    for (hsize_t r = 0; r < n; r++) {
      PetscInt  k = (PetscInt)id[r], b;
      PetscBool rin, bin;
      if (k < 0) continue;
      b = best[k];
      if (b < 0) {
        best[k] = (PetscInt)r;
        continue;
      }
      rin = (PetscBool)(t < 0 || tt[r] <= t + 1e-9);
      bin = (PetscBool)(t < 0 || tt[b] <= t + 1e-9);
      if (rin && (!bin || tt[r] >= tt[b])) best[k] = (PetscInt)r;
      else if (!rin && !bin && tt[r] < tt[b]) best[k] = (PetscInt)r;
    }
    PetscCall(PetscMalloc4(nslug + 1, &s->vessel, nslug + 1, &s->state, nslug + 1, &s->xa, nslug + 1, &s->xb));
    for (hsize_t k = 0; k < nslug; k++) {
      PetscInt r = best[k];
      if (r < 0 || (PetscInt)st[r] == 2 || v[r] < 0 || v[r] >= p->nv) continue;
      s->vessel[s->n] = (PetscInt)v[r];
      s->state[s->n]  = (PetscInt)st[r];
      s->xa[s->n]     = xa[r];
      s->xb[s->n]     = xb[r];
      s->n++;
    }
    PetscCall(PetscFree(best));
    PetscCall(PetscFree(tt));
    PetscCall(PetscFree(id));
    PetscCall(PetscFree(v));
    PetscCall(PetscFree(xa));
    PetscCall(PetscFree(xb));
    PetscCall(PetscFree(st));
  } else {
    json_t *lodged = p->summary ? json_object_get(json_object_get(p->summary, "bolus"), "lodged") : NULL;
    size_t  n      = json_is_array(lodged) ? json_array_size(lodged) : 0;
    PetscCall(PetscMalloc4(n + 1, &s->vessel, n + 1, &s->state, n + 1, &s->xa, n + 1, &s->xb));
    for (size_t k = 0; k < n; k++) {
      json_t     *e    = json_array_get(lodged, k);
      const char *name = json_string_value(json_object_get(e, "vessel")), *state = json_string_value(json_object_get(e, "state"));
      PetscInt    i = name ? HavocPostVessel(p, name) : -1;
      if (i < 0 || (state && !strcmp(state, "dissolved"))) continue;
      s->vessel[s->n] = i;
      s->state[s->n]  = state && !strcmp(state, "moving") ? 0 : 1;
      s->xa[s->n]     = json_number_value(json_object_get(e, "from_m"));
      s->xb[s->n]     = json_number_value(json_object_get(e, "to_m"));
      s->n++;
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode SlugsFree(Slugs *s)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree4(s->vessel, s->state, s->xa, s->xb));
  PetscFunctionReturn(0);
}

static void SlugMarker(cairo_t *cr, double x, double y, PetscInt state)
{
  cairo_new_path(cr);
  cairo_arc(cr, x, y, 5.0, 0, 2 * M_PI);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_set_line_width(cr, 4.0);
  cairo_stroke_preserve(cr);
  cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
  if (state == 1) cairo_fill_preserve(cr);
  cairo_set_line_width(cr, 2.0);
  cairo_stroke(cr);
}

static PetscErrorCode DrawSlugs(cairo_t *cr, const HavocPost *p, const HavocRenderFrame *f, const Slugs *s, const PetscReal *len)
{
  PetscFunctionBeginUser;
  for (PetscInt k = 0; k < s->n; k++) { /* the span, thick and dark */
    PetscInt  i = s->vessel[k];
    PetscReal x, y;
    VesselPoint(p, i, s->xa[k], len[i], &x, &y);
    cairo_move_to(cr, PX(f, x), PY(f, y));
    for (int q = 1; q <= 8; q++) {
      VesselPoint(p, i, s->xa[k] + q * (s->xb[k] - s->xa[k]) / 8, len[i], &x, &y);
      cairo_line_to(cr, PX(f, x), PY(f, y));
    }
  }
  cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
  cairo_set_line_width(cr, 5.0);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_stroke(cr);
  for (PetscInt k = 0; k < s->n; k++) {
    PetscReal x, y;
    VesselPoint(p, s->vessel[k], (s->xa[k] + s->xb[k]) / 2, len[s->vessel[k]], &x, &y);
    SlugMarker(cr, PX(f, x), PY(f, y), s->state[k]);
  }
  PetscFunctionReturn(0);
}

/* A vertical colour bar at (x, y) of height h, with its label, unit and ticks. */
static PetscErrorCode DrawColorBar(cairo_t *cr, const Scale *s, double x, double y, double h, PetscBool over)
{
  cairo_pattern_t *g = cairo_pattern_create_linear(0, y + h, 0, y);
  double           step, rgb[3];
  char             buf[64];

  PetscFunctionBeginUser;
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  Bold(cr, PETSC_TRUE);
  Text(cr, x, y - 30, 12, 0, s->label);
  Bold(cr, PETSC_FALSE);
  Text(cr, x, y - 15, 11, 0, s->unit);
  for (int i = 0; i < s->n; i++)
    cairo_pattern_add_color_stop_rgb(g, s->stops[i].v, s->stops[i].r, s->stops[i].g, s->stops[i].b);
  cairo_rectangle(cr, x, y, 18, h);
  cairo_set_source(cr, g);
  cairo_fill_preserve(cr);
  cairo_pattern_destroy(g);
  cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);
  step = s->tick > 0 ? s->tick : NiceStep(s->hi - s->lo, 5);
  for (double v = ceil(s->lo / step - 1e-9) * step; v <= s->hi + 1e-9 * step; v += step) {
    double yy = y + h - (v - s->lo) / (s->hi - s->lo) * h;
    cairo_move_to(cr, x + 18, yy);
    cairo_line_to(cr, x + 23, yy);
    cairo_stroke(cr);
    FormatTick(v, step, buf, sizeof(buf));
    if (over && v + step > s->hi + 1e-9 * step) PetscCall(HavocStrlcat(buf, " or more", sizeof(buf)));
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    Text(cr, x + 27, yy + 4, 11, 0, buf);
  }
  (void)rgb;
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------------- */
/* The tree */

typedef struct {
  PetscReal *val; /* per cell, in the scale's unit (NaN: unknown) */
  Scale      scale;
  PetscBool  over; /* the top of the scale means "or more" */
  char       source[256];
} TreeColors;

static PetscErrorCode TreeColorsCompute(const HavocPost *p, const HavocRenderOptions *o, PetscInt kt, PetscReal t, TreeColors *tc)
{
  const char *color = o->color[0] ? o->color : "flow_fraction";
  PetscBool   fields, fraction = PETSC_FALSE, pressure = PETSC_FALSE;
  PetscReal  *rp, *rd, *Q = NULL, *base = NULL, *A = NULL, *P = NULL, *p0 = NULL, *pL = NULL;
  hsize_t     n;
  char        tbuf[32];

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(tc, sizeof(*tc)));
  PetscCheck(!strcmp(color, "flow_fraction") || !strcmp(color, "pressure") || !strcmp(color, "velocity"), PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "--color %s: expected flow_fraction, pressure or velocity", color);
  fields = (PetscBool)(!HavocPostHas(p, "/tissue/times") && HavocPostHas(p, "/fields/Q") && kt >= 0);
  PetscCheck(fields || HavocPostHas(p, "/steady/flow"), PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "%s has neither /steady/flow nor /fields: nothing to colour the vessels by (run the steady or the pulsatile phase, -run_phases)", p->h5path);
  PetscCall(HavocPostRead(p, "/network/vessel_radius_prox", &rp, &n));
  PetscCall(HavocPostRead(p, "/network/vessel_radius_dist", &rd, &n));
  FormatTime(t, tbuf, sizeof(tbuf));
  if (fields) {
    PetscCall(HavocPostReadSlab(p, "/fields/Q", (hsize_t)kt, &Q, &n));
    PetscCall(HavocPostReadSlab(p, "/fields/A", (hsize_t)kt, &A, &n));
    PetscCall(HavocPostReadSlab(p, "/fields/p", (hsize_t)kt, &P, &n));
  } else {
    PetscCall(HavocPostRead(p, "/steady/flow", &Q, &n));
    PetscCall(PetscSNPrintf(tc->source, sizeof(tc->source), "steady network%s", HavocPostHas(p, "/tissue/times") ? " after the occlusion" : ""));
    if (HavocPostHas(p, "/treatment/flow") && t >= 0) {
      PetscReal *ft;
      PetscInt   j = -1;
      PetscCall(HavocPostRead(p, "/treatment/flow_t", &ft, &n));
      for (PetscInt i = 0; i < (PetscInt)n; i++)
        if (ft[i] <= t + 1e-6) j = i;
      if (j >= 0) {
        char sb[32];
        PetscCall(PetscFree(Q));
        PetscCall(HavocPostReadSlab(p, "/treatment/flow", (hsize_t)j, &Q, &n));
        FormatTime(ft[j], sb, sizeof(sb));
        PetscCall(PetscSNPrintf(tc->source, sizeof(tc->source), "network of the treatment's solve at %s", sb));
      }
      PetscCall(PetscFree(ft));
    }
    PetscCall(HavocPostRead(p, "/steady/pressure_0", &p0, &n));
    PetscCall(HavocPostRead(p, "/steady/pressure_L", &pL, &n));
  }
  if (!strcmp(color, "flow_fraction")) {
    if (HavocPostHas(p, "/steady/baseline_flow")) {
      PetscCall(HavocPostRead(p, "/steady/baseline_flow", &base, &n));
      fraction = PETSC_TRUE;
      PetscCall(PetscStrncpy(tc->scale.unit, "flow / healthy flow", sizeof(tc->scale.unit)));
    } else if (fields && p->summary && json_array_size(json_object_get(p->summary, "vessels")) == (size_t)p->nv) {
      PetscCall(PetscMalloc1(p->nv, &base));
      for (PetscInt i = 0; i < p->nv; i++)
        base[i] = json_number_value(json_object_get(json_array_get(json_object_get(p->summary, "vessels"), i), "mean_flow_m3s"));
      fraction = PETSC_TRUE;
      PetscCall(PetscStrncpy(tc->scale.unit, "flow / its cycle-mean", sizeof(tc->scale.unit)));
      PetscCall(HavocStrlcat(tc->source, "no healthy baseline in this run: flow relative to the run's own cycle-mean flow; ", sizeof(tc->source)));
    } else {
      color = "velocity";
      PetscCall(HavocStrlcat(tc->source, "flow fraction needs a baseline (/steady/baseline_flow, from runs with a bolus or tissue): velocity shown; ", sizeof(tc->source)));
    }
  }
  if (fields) {
    char sb[64];
    PetscCall(PetscSNPrintf(sb, sizeof(sb), "snapshot at %s", tbuf));
    PetscCall(HavocStrlcat(tc->source, sb, sizeof(tc->source)));
  }
  pressure = (PetscBool)!strcmp(color, "pressure");
  PetscCall(PetscMalloc1(p->nc, &tc->val));
  for (PetscInt i = 0; i < p->nv; i++)
    for (PetscInt k = 0; k < p->cells[i]; k++) {
      PetscInt  c = p->offset[i] + k;
      PetscReal s = (k + 0.5) / p->cells[i], q = fields ? Q[c] : Q[i], r = rp[i] + s * (rd[i] - rp[i]), v;
      if (fraction) v = PetscAbsReal(base[i]) > 1e-18 ? PetscAbsReal(q) / PetscAbsReal(base[i]) : NAN;
      else if (pressure) v = (fields ? P[c] : p0[i] + s * (pL[i] - p0[i])) / MMHG;
      else v = 100 * PetscAbsReal(q) / (fields ? A[c] : PETSC_PI * r * r);
      tc->val[c] = v;
    }
  if (fraction) {
    tc->scale.stops = flow_stops;
    tc->scale.n     = (int)(sizeof(flow_stops) / sizeof(flow_stops[0]));
    tc->scale.lo    = 0;
    tc->scale.hi    = 1.5;
    tc->scale.tick  = 0.25;
    tc->over        = PETSC_TRUE;
    PetscCall(PetscStrncpy(tc->scale.label, "flow fraction", sizeof(tc->scale.label)));
  } else {
    PetscReal lo = PETSC_MAX_REAL, hi = PETSC_MIN_REAL;
    for (PetscInt c = 0; c < p->nc; c++)
      if (isfinite(tc->val[c])) {
        lo = PetscMin(lo, tc->val[c]);
        hi = PetscMax(hi, tc->val[c]);
      }
    if (lo > hi) lo = hi = 0;
    if (!pressure) lo = 0;
    if (hi - lo < 1e-9 * PetscMax(1, PetscAbsReal(hi))) hi = lo + 1;
    tc->scale.stops = viridis_stops;
    tc->scale.n     = (int)(sizeof(viridis_stops) / sizeof(viridis_stops[0]));
    tc->scale.lo    = lo;
    tc->scale.hi    = hi;
    PetscCall(PetscStrncpy(tc->scale.label, pressure ? "pressure" : "mean velocity", sizeof(tc->scale.label)));
    PetscCall(PetscStrncpy(tc->scale.unit, pressure ? "[mmHg]" : "[cm/s]", sizeof(tc->scale.unit)));
  }
  PetscCall(PetscFree(rp));
  PetscCall(PetscFree(rd));
  PetscCall(PetscFree(Q));
  PetscCall(PetscFree(base));
  PetscCall(PetscFree(A));
  PetscCall(PetscFree(P));
  PetscCall(PetscFree(p0));
  PetscCall(PetscFree(pL));
  PetscFunctionReturn(0);
}

/* The vessels, largest first, each cell a segment; colours from val (NULL: one grey, thin). */
static PetscErrorCode DrawVessels(cairo_t *cr, const HavocPost *p, const HavocRenderFrame *f, const PetscReal *rp, PetscReal rmax, const TreeColors *tc)
{
  PetscInt *order;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc1(p->nv, &order));
  for (PetscInt i = 0; i < p->nv; i++)
    order[i] = i;
  for (PetscInt i = 1; i < p->nv; i++) /* insertion sort by decreasing radius */
    for (PetscInt j = i; j > 0 && rp[order[j]] > rp[order[j - 1]]; j--) {
      PetscInt s   = order[j];
      order[j]     = order[j - 1];
      order[j - 1] = s;
    }
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  for (int pass = tc ? 0 : 1; pass < 2; pass++)
    for (PetscInt q = 0; q < p->nv; q++) {
      PetscInt i = order[q];
      double   w = tc ? VesselWidth(rp[i], rmax) : 0.9;
      for (PetscInt k = 0; k < p->cells[i]; k++) {
        const PetscReal *a = &p->points[3 * (p->offset[i] + i + k)], *b = a + 3;
        double           rgb[3] = {0, 0, 0};
        cairo_move_to(cr, PX(f, a[0]), PY(f, a[1]));
        cairo_line_to(cr, PX(f, b[0]), PY(f, b[1]));
        if (!tc) {
          cairo_set_source_rgba(cr, 0.15, 0.15, 0.15, 0.55);
          cairo_set_line_width(cr, w);
        } else if (pass == 0) { /* a dark casing, so that light colours show on the face */
          cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
          cairo_set_line_width(cr, w + 1.6);
        } else {
          ScaleColor(&tc->scale, tc->val[p->offset[i] + k], rgb);
          cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
          cairo_set_line_width(cr, w);
        }
        cairo_stroke(cr);
      }
    }
  PetscCall(PetscFree(order));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocRenderTree(const HavocPost *p, const HavocRenderOptions *o, const char path[])
{
  Map              m;
  HavocRenderFrame f;
  TreeColors       tc;
  Slugs            s;
  PetscReal       *rp, *len, rmax = 0, rmin = PETSC_MAX_REAL, t;
  PetscInt         kt;
  hsize_t          n;
  Canvas           c;
  char             sub[512], what[128], tbuf[32];
  PetscBool        nan     = PETSC_FALSE, svg;
  const double     face[3] = {0.97, 0.95, 0.92};

  PetscFunctionBeginUser;
  PetscCall(HavocRenderFormat(path, &svg));
  PetscCall(NeedDataset(p, "/network/vessel_radius_prox", "not a havoc result file"));
  PetscCall(PickTime(p, o, &kt, &t));
  PetscCall(MapRead(p, &m));
  PetscCall(FrameCompute(p, &m, o, &f));
  PetscCall(TreeColorsCompute(p, o, kt, t, &tc));
  PetscCall(SlugsRead(p, kt >= 0 ? t : -1, &s));
  PetscCall(HavocPostRead(p, "/network/vessel_radius_prox", &rp, &n));
  PetscCall(HavocPostRead(p, "/network/vessel_length", &len, &n));
  for (PetscInt i = 0; i < p->nv; i++) {
    rmax = PetscMax(rmax, rp[i]);
    rmin = PetscMin(rmin, rp[i]);
  }
  rmax = rmax > 0 ? rmax : 1;
  for (PetscInt i = 0; i < p->nc; i++)
    if (!isfinite(tc.val[i])) nan = PETSC_TRUE;

  PetscCall(CanvasOpen(path, o, &c));
  if (kt >= 0) {
    FormatTime(t, tbuf, sizeof(tbuf));
    PetscCall(PetscSNPrintf(what, sizeof(what), "arterial tree, %s at t = %s", tc.scale.label, tbuf));
  } else PetscCall(PetscSNPrintf(what, sizeof(what), "arterial tree, %s", tc.scale.label));
  PetscCall(PetscSNPrintf(sub, sizeof(sub), "%s; line width grows with the vessel radius%s", tc.source, s.n ? "; gel slugs marked" : ""));
  PetscCall(DrawTitle(&c, p, o, what, sub));
  PetscCall(DrawFace(c.cr, &m, &f, face));
  PetscCall(DrawVessels(c.cr, p, &f, rp, rmax, &tc));
  PetscCall(DrawSlugs(c.cr, p, &f, &s, len));
  { /* the panel: colour bar, line widths, markers */
    double x = c.w - PanelWidth(c.w) + 8, y = TITLE_H + 44, h = PetscMin(260.0, 0.4 * c.h), r[3];
    char   buf[64];
    PetscCall(DrawColorBar(c.cr, &tc.scale, x, y, h, tc.over));
    y += h + 34;
    cairo_set_source_rgb(c.cr, 0.1, 0.1, 0.1);
    Bold(c.cr, PETSC_TRUE);
    Text(c.cr, x, y, 12, 0, "vessel radius");
    Bold(c.cr, PETSC_FALSE);
    r[0] = rmin;
    r[1] = PetscSqrtReal(rmin * rmax);
    r[2] = rmax;
    for (int k = 0; k < 3; k++) {
      if (k && r[k] <= r[k - 1] * 1.05) continue;
      y += 20;
      cairo_move_to(c.cr, x, y - 4);
      cairo_line_to(c.cr, x + 34, y - 4);
      cairo_set_line_width(c.cr, VesselWidth(r[k], rmax));
      cairo_set_line_cap(c.cr, CAIRO_LINE_CAP_BUTT);
      cairo_set_source_rgb(c.cr, 0.3, 0.3, 0.3);
      cairo_stroke(c.cr);
      snprintf(buf, sizeof(buf), "%.2g mm", (double)(r[k] * 1e3));
      cairo_set_source_rgb(c.cr, 0.1, 0.1, 0.1);
      Text(c.cr, x + 44, y, 11, 0, buf);
    }
    if (s.n) {
      PetscBool moving = PETSC_FALSE;
      for (PetscInt k = 0; k < s.n; k++)
        if (s.state[k] == 0) moving = PETSC_TRUE;
      y += 30;
      SlugMarker(c.cr, x + 17, y - 4, 1);
      cairo_set_source_rgb(c.cr, 0.1, 0.1, 0.1);
      Text(c.cr, x + 44, y, 11, 0, "gel slug, lodged");
      if (moving) {
        y += 20;
        SlugMarker(c.cr, x + 17, y - 4, 0);
        cairo_set_source_rgb(c.cr, 0.1, 0.1, 0.1);
        Text(c.cr, x + 44, y, 11, 0, "gel slug, moving");
      }
    }
    if (nan) {
      y += 22;
      cairo_rectangle(c.cr, x + 8, y - 10, 18, 10);
      cairo_set_source_rgb(c.cr, no_data_rgb[0], no_data_rgb[1], no_data_rgb[2]);
      cairo_fill(c.cr);
      cairo_set_source_rgb(c.cr, 0.1, 0.1, 0.1);
      Text(c.cr, x + 44, y, 11, 0, "no healthy flow");
    }
    if (m.has) {
      y += 24;
      cairo_rectangle(c.cr, x + 8, y - 11, 18, 12);
      cairo_set_source_rgb(c.cr, face[0], face[1], face[2]);
      cairo_fill_preserve(c.cr);
      cairo_set_source_rgb(c.cr, 0.25, 0.25, 0.25);
      cairo_set_line_width(c.cr, 1.4);
      cairo_stroke(c.cr);
      cairo_set_source_rgb(c.cr, 0.1, 0.1, 0.1);
      Text(c.cr, x + 44, y, 11, 0, "face (tissue map)");
    }
  }
  PetscCall(CanvasClose(&c));
  PetscCall(PetscFree(rp));
  PetscCall(PetscFree(len));
  PetscCall(PetscFree(tc.val));
  PetscCall(SlugsFree(&s));
  PetscCall(MapFree(&m));
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------------- */
/* The zone map */

/* Areas [cm^2] of a kind ("ischemic_cm2", ...) summed over the territories on the map at report time t. */
static PetscReal SummaryArea(const HavocPost *p, const char key[], PetscReal t, PetscBool *found)
{
  json_t   *tis = p->summary ? json_object_get(p->summary, "tissue") : NULL, *times = json_object_get(tis, "report_times_s"), *ter = json_object_get(tis, "territories");
  PetscInt  k   = -1;
  PetscReal sum = 0;

  *found = PETSC_FALSE;
  for (size_t i = 0; i < json_array_size(times); i++)
    if (PetscAbsReal(json_number_value(json_array_get(times, i)) - t) < 1e-3) k = (PetscInt)i;
  if (k < 0) return 0;
  for (size_t i = 0; i < json_array_size(ter); i++) {
    json_t *e = json_array_get(ter, i);
    if (!json_is_true(json_object_get(e, "on_map"))) continue;
    sum += json_number_value(json_array_get(json_object_get(e, key), (size_t)k));
    *found = PETSC_TRUE;
  }
  return sum;
}

PetscErrorCode HavocRenderZones(const HavocPost *p, const HavocRenderOptions *o, const char path[])
{
  Map              m;
  HavocRenderFrame f;
  PetscReal       *zone, t;
  PetscInt         kt;
  hsize_t          n;
  Canvas           c;
  char             what[128], tbuf[32];
  PetscBool        svg;

  PetscFunctionBeginUser;
  PetscCall(HavocRenderFormat(path, &svg));
  PetscCall(NeedDataset(p, "/tissue/zone", "the zone map needs a run with the tissue model (a case with a tissue: block and -tissue_t_end)"));
  PetscCall(PickTime(p, o, &kt, &t));
  PetscCall(MapRead(p, &m));
  PetscCheck(m.has && kt >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: /tissue has no territory map or no times", p->h5path);
  PetscCall(FrameCompute(p, &m, o, &f));
  PetscCall(HavocPostReadSlab(p, "/tissue/zone", (hsize_t)kt, &zone, &n));
  PetscCheck((PetscInt)n == m.nx * m.ny, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: /tissue/zone and /tissue/territory differ in shape", p->h5path);

  PetscCall(CanvasOpen(path, o, &c));
  FormatTime(t, tbuf, sizeof(tbuf));
  PetscCall(PetscSNPrintf(what, sizeof(what), "tissue zones at t = %s after the occlusion", tbuf));
  PetscCall(DrawTitle(&c, p, o, what, "skin of the face in the frontal plane; thin lines: territories and the arterial tree"));
  cairo_save(c.cr);
  cairo_set_antialias(c.cr, CAIRO_ANTIALIAS_NONE);
  for (PetscInt z = 0; z <= 3; z++) {
    PetscReal rgb[3];
    for (PetscInt j = 0; j < m.ny; j++)
      for (PetscInt i = 0; i < m.nx;) {
        PetscInt e = i;
        if ((PetscInt)zone[j * m.nx + i] != z) {
          i++;
          continue;
        }
        while (e < m.nx && (PetscInt)zone[j * m.nx + e] == z)
          e++;
        cairo_rectangle(c.cr, PX(&f, m.origin[0] + i * m.dx), PY(&f, m.origin[1] + (j + 1) * m.dx), (e - i) * m.dx * f.scale, m.dx * f.scale);
        i = e;
      }
    HavocRenderZoneColor(z, rgb);
    cairo_set_source_rgb(c.cr, rgb[0], rgb[1], rgb[2]);
    cairo_fill(c.cr);
  }
  cairo_restore(c.cr);
  /* territory boundaries */
  for (PetscInt j = 0; j < m.ny; j++)
    for (PetscInt i = 0; i < m.nx; i++) {
      PetscReal a = m.territory[j * m.nx + i];
      if (a < 0) continue;
      if (i + 1 < m.nx && m.territory[j * m.nx + i + 1] >= 0 && m.territory[j * m.nx + i + 1] != a) {
        cairo_move_to(c.cr, PX(&f, m.origin[0] + (i + 1) * m.dx), PY(&f, m.origin[1] + j * m.dx));
        cairo_line_to(c.cr, PX(&f, m.origin[0] + (i + 1) * m.dx), PY(&f, m.origin[1] + (j + 1) * m.dx));
      }
      if (j + 1 < m.ny && m.territory[(j + 1) * m.nx + i] >= 0 && m.territory[(j + 1) * m.nx + i] != a) {
        cairo_move_to(c.cr, PX(&f, m.origin[0] + i * m.dx), PY(&f, m.origin[1] + (j + 1) * m.dx));
        cairo_line_to(c.cr, PX(&f, m.origin[0] + (i + 1) * m.dx), PY(&f, m.origin[1] + (j + 1) * m.dx));
      }
    }
  cairo_set_source_rgba(c.cr, 0.3, 0.3, 0.3, 0.45);
  cairo_set_line_width(c.cr, 0.6);
  cairo_stroke(c.cr);
  if (p->points) {
    PetscReal *rp;
    PetscCall(HavocPostRead(p, "/network/vessel_radius_prox", &rp, &n));
    PetscCall(DrawVessels(c.cr, p, &f, rp, 1, NULL));
    PetscCall(PetscFree(rp));
  }
  PetscCall(DrawFace(c.cr, &m, &f, NULL));
  { /* legend */
    static const char *names[4] = {"normal", "ischemic", "at risk", "necrotic"};
    static const char *keys[4]  = {NULL, "ischemic_cm2", "at_risk_cm2", "necrotic_cm2"};
    double             x = c.w - PanelWidth(c.w) + 8, y = TITLE_H + 30;
    cairo_set_source_rgb(c.cr, 0.1, 0.1, 0.1);
    Bold(c.cr, PETSC_TRUE);
    Text(c.cr, x, y, 12, 0, "zone");
    Bold(c.cr, PETSC_FALSE);
    for (PetscInt z = 0; z <= 3; z++) {
      PetscReal rgb[3], area = 0;
      PetscBool found = PETSC_FALSE;
      char      buf[96];
      y += 24;
      HavocRenderZoneColor(z, rgb);
      cairo_rectangle(c.cr, x, y - 12, 22, 15);
      cairo_set_source_rgb(c.cr, rgb[0], rgb[1], rgb[2]);
      cairo_fill_preserve(c.cr);
      cairo_set_source_rgb(c.cr, 0.3, 0.3, 0.3);
      cairo_set_line_width(c.cr, 0.8);
      cairo_stroke(c.cr);
      if (keys[z]) area = SummaryArea(p, keys[z], t, &found);
      if (found) snprintf(buf, sizeof(buf), "%s: %.3g cm\xc2\xb2", names[z], (double)area);
      else PetscCall(PetscStrncpy(buf, names[z], sizeof(buf)));
      cairo_set_source_rgb(c.cr, 0.1, 0.1, 0.1);
      Text(c.cr, x + 32, y, 11, 0, buf);
    }
    y += 18;
    cairo_set_source_rgb(c.cr, 0.35, 0.35, 0.35);
    Text(c.cr, x, y, 10, 0, "(ischemic includes at risk)");
    y += 26;
    cairo_move_to(c.cr, x, y - 4);
    cairo_line_to(c.cr, x + 22, y - 4);
    cairo_set_source_rgb(c.cr, 0.25, 0.25, 0.25);
    cairo_set_line_width(c.cr, 1.4);
    cairo_stroke(c.cr);
    cairo_set_source_rgb(c.cr, 0.1, 0.1, 0.1);
    Text(c.cr, x + 32, y, 11, 0, "face outline");
    y += 20;
    cairo_move_to(c.cr, x, y - 4);
    cairo_line_to(c.cr, x + 22, y - 4);
    cairo_set_source_rgba(c.cr, 0.15, 0.15, 0.15, 0.55);
    cairo_set_line_width(c.cr, 0.9);
    cairo_stroke(c.cr);
    cairo_set_source_rgb(c.cr, 0.1, 0.1, 0.1);
    Text(c.cr, x + 32, y, 11, 0, "arteries");
    y += 28;
    { /* scale bar: 1 cm */
      double l = 0.01 * f.scale;
      cairo_move_to(c.cr, x, y);
      cairo_line_to(c.cr, x + l, y);
      cairo_set_line_width(c.cr, 3);
      cairo_stroke(c.cr);
      Text(c.cr, x + l + 8, y + 4, 11, 0, "1 cm");
    }
  }
  PetscCall(CanvasClose(&c));
  PetscCall(PetscFree(zone));
  PetscCall(MapFree(&m));
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------------- */
/* Time-series plots */

typedef struct {
  PetscInt   n;
  PetscReal *x, *y; /* in the axes' units */
  PetscInt   color;
  PetscBool  dashed, markers;
} Series;

typedef struct {
  char      name[80];
  PetscInt  color; /* palette index, -1 black */
  PetscBool dashed;
} LegendEntry;

static void PaletteColor(cairo_t *cr, PetscInt k)
{
  if (k < 0) cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  else cairo_set_source_rgb(cr, palette[k % 10][0], palette[k % 10][1], palette[k % 10][2]);
}

typedef struct {
  const char  *title, *sub, *xlabel, *ylabel, *legend_title, *empty;
  PetscInt     ns, nl;
  Series      *s;
  LegendEntry *l;
  PetscBool    yzero;      /* include y = 0 */
  PetscBool    xzero;      /* include x = 0 */
  PetscReal    ymin, ymax; /* fixed when ymax > ymin */
  PetscReal    xmark;      /* a marked time (axes' units), < -1e300: none */
  char         xmark_label[48];
} Plot;

static PetscErrorCode DrawPlot(const HavocPost *p, const HavocRenderOptions *o, const char path[], const Plot *pl)
{
  Canvas c;
  double x0, x1, y0, y1, xmin = PETSC_MAX_REAL, xmax = PETSC_MIN_REAL, ymin = PETSC_MAX_REAL, ymax = PETSC_MIN_REAL, step;
  char   buf[64];

  PetscFunctionBeginUser;
  for (PetscInt k = 0; k < pl->ns; k++)
    for (PetscInt i = 0; i < pl->s[k].n; i++)
      if (isfinite(pl->s[k].y[i])) {
        xmin = PetscMin(xmin, pl->s[k].x[i]);
        xmax = PetscMax(xmax, pl->s[k].x[i]);
        ymin = PetscMin(ymin, pl->s[k].y[i]);
        ymax = PetscMax(ymax, pl->s[k].y[i]);
      }
  if (xmin > xmax) xmin = 0, xmax = 1;
  if (pl->xzero) xmin = PetscMin(xmin, 0);
  if (xmax - xmin <= 0) xmax = xmin + 1;
  if (pl->ymax > pl->ymin) ymin = pl->ymin, ymax = pl->ymax;
  else {
    if (ymin > ymax) ymin = 0, ymax = 1;
    if (pl->yzero) ymin = PetscMin(ymin, 0), ymax = PetscMax(ymax, 0);
    if (ymax - ymin <= 1e-12 * PetscMax(PetscAbsReal(ymax), 1e-30)) ymax = ymin + (ymin ? PetscAbsReal(ymin) : 1);
    {
      double pad = 0.05 * (ymax - ymin);
      if (!(pl->yzero && ymin == 0)) ymin -= pad;
      ymax += pad;
    }
  }
  PetscCall(CanvasOpen(path, o, &c));
  PetscCall(DrawTitle(&c, p, o, pl->title, pl->sub));
  x0 = 78;
  x1 = c.w - PanelWidth(c.w) - 10;
  y0 = TITLE_H + 12;
  y1 = c.h - 58;
  /* grid, ticks and their labels */
  cairo_set_line_width(c.cr, 1);
  step = NiceStep(xmax - xmin, 6);
  for (double v = ceil(xmin / step - 1e-9) * step; v <= xmax + 1e-9 * step; v += step) {
    double x = x0 + (v - xmin) / (xmax - xmin) * (x1 - x0);
    cairo_set_source_rgb(c.cr, 0.9, 0.9, 0.9);
    cairo_move_to(c.cr, x, y0);
    cairo_line_to(c.cr, x, y1);
    cairo_stroke(c.cr);
    cairo_set_source_rgb(c.cr, 0.15, 0.15, 0.15);
    FormatTick(v, step, buf, sizeof(buf));
    Text(c.cr, x, y1 + 17, 11, 0.5, buf);
  }
  step = NiceStep(ymax - ymin, 6);
  for (double v = ceil(ymin / step - 1e-9) * step; v <= ymax + 1e-9 * step; v += step) {
    double y = y1 - (v - ymin) / (ymax - ymin) * (y1 - y0);
    cairo_set_source_rgb(c.cr, 0.9, 0.9, 0.9);
    cairo_move_to(c.cr, x0, y);
    cairo_line_to(c.cr, x1, y);
    cairo_stroke(c.cr);
    cairo_set_source_rgb(c.cr, 0.15, 0.15, 0.15);
    FormatTick(v, step, buf, sizeof(buf));
    Text(c.cr, x0 - 6, y + 4, 11, 1, buf);
  }
  cairo_set_source_rgb(c.cr, 0.2, 0.2, 0.2);
  cairo_rectangle(c.cr, x0, y0, x1 - x0, y1 - y0);
  cairo_stroke(c.cr);
  Text(c.cr, (x0 + x1) / 2, y1 + 40, 12, 0.5, pl->xlabel);
  cairo_save(c.cr);
  cairo_translate(c.cr, 22, (y0 + y1) / 2);
  cairo_rotate(c.cr, -M_PI / 2);
  Text(c.cr, 0, 0, 12, 0.5, pl->ylabel);
  cairo_restore(c.cr);
  /* the series, clipped to the axes; long ones drawn as their envelope per pixel column */
  cairo_save(c.cr);
  cairo_rectangle(c.cr, x0, y0, x1 - x0, y1 - y0);
  cairo_clip(c.cr);
  cairo_set_line_join(c.cr, CAIRO_LINE_JOIN_ROUND);
  for (PetscInt k = 0; k < pl->ns; k++) {
    const Series *s    = &pl->s[k];
    PetscBool     pen  = PETSC_FALSE;
    PetscInt      bins = (PetscInt)(x1 - x0), cur = -1;
    PetscBool     thin = (PetscBool)(s->n > 3 * bins);
    double        bmin = 0, bmax = 0, bx = 0, dash[2] = {7, 4};
#define SX(v) (x0 + ((v)-xmin) / (xmax - xmin) * (x1 - x0))
#define SY(v) (y1 - ((v)-ymin) / (ymax - ymin) * (y1 - y0))
    for (PetscInt i = 0; i < s->n; i++) {
      double x = SX(s->x[i]), y = SY(s->y[i]);
      if (!isfinite(s->y[i])) {
        pen = PETSC_FALSE;
        continue;
      }
      if (thin) {
        PetscInt b = (PetscInt)floor(x - x0);
        if (b != cur) {
          if (cur >= 0) {
            if (pen) cairo_line_to(c.cr, bx, bmin);
            else cairo_move_to(c.cr, bx, bmin);
            cairo_line_to(c.cr, bx, bmax);
            pen = PETSC_TRUE;
          }
          cur  = b;
          bmin = bmax = y;
          bx          = x;
        } else {
          bmin = PetscMin(bmin, y);
          bmax = PetscMax(bmax, y);
        }
        continue;
      }
      if (pen) cairo_line_to(c.cr, x, y);
      else cairo_move_to(c.cr, x, y);
      pen = PETSC_TRUE;
    }
    if (thin && cur >= 0) {
      if (pen) cairo_line_to(c.cr, bx, bmin);
      else cairo_move_to(c.cr, bx, bmin);
      cairo_line_to(c.cr, bx, bmax);
    }
    PaletteColor(c.cr, s->color);
    cairo_set_line_width(c.cr, 2);
    cairo_set_dash(c.cr, dash, s->dashed ? 2 : 0, 0);
    cairo_stroke(c.cr);
    cairo_set_dash(c.cr, dash, 0, 0);
    if (s->markers)
      for (PetscInt i = 0; i < s->n; i++)
        if (isfinite(s->y[i])) {
          cairo_arc(c.cr, SX(s->x[i]), SY(s->y[i]), 3.5, 0, 2 * M_PI);
          cairo_fill(c.cr);
        }
  }
  if (pl->xmark > -1e300 && pl->xmark >= xmin && pl->xmark <= xmax) {
    double dash[2] = {4, 4};
    cairo_set_source_rgb(c.cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(c.cr, 1.2);
    cairo_set_dash(c.cr, dash, 2, 0);
    cairo_move_to(c.cr, SX(pl->xmark), y0);
    cairo_line_to(c.cr, SX(pl->xmark), y1);
    cairo_stroke(c.cr);
    cairo_set_dash(c.cr, dash, 0, 0);
    Text(c.cr, SX(pl->xmark) + 4, y0 + 14, 11, 0, pl->xmark_label);
  }
#undef SX
#undef SY
  cairo_restore(c.cr);
  if (pl->empty) {
    cairo_set_source_rgb(c.cr, 0.35, 0.35, 0.35);
    Text(c.cr, (x0 + x1) / 2, (y0 + y1) / 2, 14, 0.5, pl->empty);
  }
  { /* legend */
    double x = c.w - PanelWidth(c.w) + 8, y = TITLE_H + 30, dash[2] = {7, 4};
    cairo_set_source_rgb(c.cr, 0.1, 0.1, 0.1);
    Bold(c.cr, PETSC_TRUE);
    if (pl->legend_title) Text(c.cr, x, y, 12, 0, pl->legend_title);
    Bold(c.cr, PETSC_FALSE);
    for (PetscInt k = 0; k < pl->nl && y < c.h - 30; k++) {
      y += 20;
      cairo_move_to(c.cr, x, y - 4);
      cairo_line_to(c.cr, x + 26, y - 4);
      PaletteColor(c.cr, pl->l[k].color);
      cairo_set_line_width(c.cr, 2);
      cairo_set_dash(c.cr, dash, pl->l[k].dashed ? 2 : 0, 0);
      cairo_stroke(c.cr);
      cairo_set_dash(c.cr, dash, 0, 0);
      cairo_set_source_rgb(c.cr, 0.1, 0.1, 0.1);
      Text(c.cr, x + 34, y, 11, 0, pl->l[k].name);
    }
  }
  PetscCall(CanvasClose(&c));
  PetscFunctionReturn(0);
}

/* The vessels of the flow plot: o->vessels, or the vessels where gel lodged, or the largest flows. */
static PetscErrorCode FlowVessels(const HavocPost *p, const HavocRenderOptions *o, PetscInt *n, PetscInt list[], PetscInt max)
{
  PetscFunctionBeginUser;
  *n = 0;
  if (o->vessels[0]) {
    char buf[512], *tok, *save = NULL;
    PetscCall(PetscStrncpy(buf, o->vessels, sizeof(buf)));
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      PetscInt i;
      while (*tok == ' ')
        tok++;
      i = HavocPostVessel(p, tok);
      if (i < 0) {
        char names[512] = "";
        for (PetscInt k = 0; k < p->nv && k < 8; k++) {
          PetscCall(HavocStrlcat(names, k ? ", " : "", sizeof(names)));
          PetscCall(HavocStrlcat(names, p->name[k], sizeof(names)));
        }
        if (p->nv > 8) PetscCall(HavocStrlcat(names, ", ...", sizeof(names)));
        SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "--vessels: no vessel '%s' in %s (it has %" PetscInt_FMT ": %s)", tok, p->dir, p->nv, names);
      }
      PetscCheck(*n < max, PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "--vessels: at most %" PetscInt_FMT " vessels in one plot", max);
      list[(*n)++] = i;
    }
    PetscCheck(*n > 0, PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "--vessels '%s': expected comma-separated vessel names", o->vessels);
    PetscFunctionReturn(0);
  }
  if (p->nv <= 6) {
    for (PetscInt i = 0; i < p->nv; i++)
      list[(*n)++] = i;
    PetscFunctionReturn(0);
  }
  {
    json_t *lodged = p->summary ? json_object_get(json_object_get(p->summary, "bolus"), "lodged") : NULL;
    for (size_t k = 0; k < json_array_size(lodged) && *n < 4; k++) {
      const char *name = json_string_value(json_object_get(json_array_get(lodged, k), "vessel"));
      PetscInt    i    = name ? HavocPostVessel(p, name) : -1;
      PetscBool   dup  = PETSC_FALSE;
      for (PetscInt j = 0; j < *n; j++)
        if (list[j] == i) dup = PETSC_TRUE;
      if (i >= 0 && !dup) list[(*n)++] = i;
    }
  }
  if (!*n) { /* the inlets' vessels: the first ones in the file */
    for (PetscInt i = 0; i < p->nv && *n < 4; i++)
      list[(*n)++] = i;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode MarkTime(const HavocRenderOptions *o, double f, Plot *pl)
{
  PetscFunctionBeginUser;
  pl->xmark = -1e301;
  if (o->time >= 0) {
    char tb[32];
    pl->xmark = o->time * f;
    FormatTime(o->time, tb, sizeof(tb));
    PetscCall(PetscSNPrintf(pl->xmark_label, sizeof(pl->xmark_label), "t = %s", tb));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode HavocRenderPlot(const HavocPost *p, const char what[], const HavocRenderOptions *o, const char path[])
{
  Plot        pl;
  Series      s[24];
  LegendEntry l[26];
  PetscReal  *t = NULL;
  hsize_t     nt;
  double      f;
  const char *unit;
  char        title[128], sub[256], xlabel[64];
  PetscBool   svg;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(&pl, sizeof(pl)));
  PetscCall(PetscMemzero(s, sizeof(s)));
  PetscCall(PetscMemzero(l, sizeof(l)));
  PetscCall(HavocRenderFormat(path, &svg));
  pl.s      = s;
  pl.l      = l;
  pl.title  = title;
  pl.sub    = sub;
  pl.xlabel = xlabel;
  sub[0]    = 0;
  if (!strcmp(what, "flow")) {
    PetscInt   vessels[10], nves, ifrac = 0;
    PetscReal *fr;
    hsize_t    nf;
    PetscCall(NeedDataset(p, "/probes/q", "the flow plot needs the probes of the pulsatile phase (-run_phases with pulsatile)"));
    PetscCall(FlowVessels(p, o, &nves, vessels, 10));
    PetscCall(HavocPostRead(p, "/probes/fractions", &fr, &nf));
    for (PetscInt k = 0; k < (PetscInt)nf; k++)
      if (PetscAbsReal(fr[k] - 0.5) < PetscAbsReal(fr[ifrac] - 0.5)) ifrac = k;
    PetscCall(HavocPostRead(p, "/probes/t", &t, &nt));
    TimeAxis(nt ? t[nt - 1] : 0, &f, &unit);
    for (hsize_t i = 0; i < nt; i++)
      t[i] *= f;
    for (PetscInt k = 0; k < nves; k++) {
      PetscCall(PetscMalloc1(nt ? nt : 1, &s[k].y));
      if (nt) PetscCall(HavocProbeRead(p->h5path, vessels[k], ifrac, 0, (PetscInt)nt, NULL, s[k].y, NULL));
      for (hsize_t i = 0; i < nt; i++)
        s[k].y[i] *= M3S_TO_MLMIN;
      s[k].x     = t;
      s[k].n     = (PetscInt)nt;
      s[k].color = k;
      l[k].color = k;
      PetscCall(PetscStrncpy(l[k].name, p->name[vessels[k]], sizeof(l[k].name)));
    }
    pl.ns = pl.nl = nves;
    pl.yzero      = PETSC_TRUE;
    PetscCall(PetscSNPrintf(title, sizeof(title), "flow"));
    snprintf(sub, sizeof(sub), "at %.3g of each vessel's length from its x = 0 end (/probes), positive towards x = length", (double)fr[ifrac]);
    PetscCall(PetscSNPrintf(xlabel, sizeof(xlabel), "time [%s]", unit));
    pl.ylabel       = "flow [mL/min]";
    pl.legend_title = "vessel";
    PetscCall(MarkTime(o, f, &pl));
    PetscCall(DrawPlot(p, o, path, &pl));
    for (PetscInt k = 0; k < nves; k++)
      PetscCall(PetscFree(s[k].y));
    PetscCall(PetscFree(fr));
  } else if (!strcmp(what, "areas")) {
    json_t  *tis = p->summary ? json_object_get(p->summary, "tissue") : NULL, *times = json_object_get(tis, "report_times_s"), *ter = json_object_get(tis, "territories");
    PetscInt nrt = (PetscInt)json_array_size(times), nter = 0, *idx;
    double  *worst;
    PetscCheck(p->summary, PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "cannot read %s: the area plot needs summary.json", p->jsonpath);
    PetscCheck(json_is_array(ter) && nrt > 0, PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "%s has no tissue.territories: the area plot needs a run with the tissue model (a case with a tissue: block and -tissue_t_end)", p->jsonpath);
    PetscCall(PetscMalloc1(nrt, &t));
    PetscCall(PetscMalloc2(json_array_size(ter) + 1, &idx, json_array_size(ter) + 1, &worst));
    for (PetscInt i = 0; i < nrt; i++)
      t[i] = json_number_value(json_array_get(times, (size_t)i));
    TimeAxis(t[nrt - 1], &f, &unit);
    if (!strcmp(unit, "s")) f = 1.0 / 3600, unit = "h";
    for (PetscInt i = 0; i < nrt; i++)
      t[i] *= f;
    /* the territories with ischemia or necrosis, the worst first, at most 12 */
    for (size_t i = 0; i < json_array_size(ter); i++) {
      json_t  *e = json_array_get(ter, i);
      double   w = 0;
      PetscInt j;
      if (!json_is_true(json_object_get(e, "on_map"))) continue;
      for (PetscInt k = 0; k < nrt; k++) {
        w = PetscMax(w, json_number_value(json_array_get(json_object_get(e, "ischemic_cm2"), (size_t)k)));
        w = PetscMax(w, 2 * json_number_value(json_array_get(json_object_get(e, "necrotic_cm2"), (size_t)k)));
      }
      if (w <= 0) continue;
      for (j = nter++; j > 0 && worst[j - 1] < w; j--) {
        worst[j] = worst[j - 1];
        idx[j]   = idx[j - 1];
      }
      worst[j] = w;
      idx[j]   = (PetscInt)i;
    }
    nter = PetscMin(nter, 12);
    for (PetscInt k = 0; k < nter; k++) {
      json_t *e = json_array_get(ter, (size_t)idx[k]);
      for (int kind = 0; kind < 2; kind++) {
        Series *q = &s[2 * k + kind];
        json_t *a = json_object_get(e, kind ? "ischemic_cm2" : "necrotic_cm2");
        PetscCall(PetscMalloc1(nrt, &q->y));
        for (PetscInt i = 0; i < nrt; i++)
          q->y[i] = json_is_number(json_array_get(a, (size_t)i)) ? json_number_value(json_array_get(a, (size_t)i)) : NAN;
        q->x       = t;
        q->n       = nrt;
        q->color   = k;
        q->dashed  = (PetscBool)kind;
        q->markers = PETSC_TRUE;
      }
      l[k].color = k;
      PetscCall(PetscStrncpy(l[k].name, json_string_value(json_object_get(e, "territory")), sizeof(l[k].name)));
    }
    pl.xzero = PETSC_TRUE;
    pl.ns    = 2 * nter;
    pl.nl    = nter;
    PetscCall(PetscStrncpy(l[pl.nl].name, "necrotic", sizeof(l[0].name)));
    l[pl.nl++].color = -1;
    PetscCall(PetscStrncpy(l[pl.nl].name, "ischemic (incl. at risk)", sizeof(l[0].name)));
    l[pl.nl].color    = -1;
    l[pl.nl++].dashed = PETSC_TRUE;
    pl.yzero          = PETSC_TRUE;
    PetscCall(PetscSNPrintf(title, sizeof(title), "ischemic and necrotic skin per territory"));
    PetscCall(PetscSNPrintf(sub, sizeof(sub), "areas at the tissue report times after the occlusion (summary.json tissue.territories)"));
    PetscCall(PetscSNPrintf(xlabel, sizeof(xlabel), "time after the occlusion [%s]", unit));
    pl.ylabel       = "area [cm\xc2\xb2]";
    pl.legend_title = "territory";
    if (!nter) pl.empty = "no ischemic or necrotic skin";
    PetscCall(MarkTime(o, f, &pl));
    PetscCall(DrawPlot(p, o, path, &pl));
    for (PetscInt k = 0; k < 2 * nter; k++)
      PetscCall(PetscFree(s[k].y));
    PetscCall(PetscFree2(idx, worst));
  } else if (!strcmp(what, "ha") || !strcmp(what, "enzyme")) {
    PetscBool ha = (PetscBool)!strcmp(what, "ha");
    json_t   *tr = p->summary ? json_object_get(p->summary, "treatment") : NULL;
    hsize_t   n;
    PetscCall(NeedDataset(p, ha ? "/treatment/ha_fraction" : "/treatment/enzyme_gel", "this plot needs a treated run (hyaluronidase: -enzyme_preset or -enzyme_units, with the tissue model)"));
    PetscCall(HavocPostRead(p, "/treatment/t", &t, &nt));
    PetscCall(HavocPostRead(p, ha ? "/treatment/ha_fraction" : "/treatment/enzyme_gel", &s[0].y, &n));
    TimeAxis(nt ? t[nt - 1] : 0, &f, &unit);
    for (hsize_t i = 0; i < nt; i++)
      t[i] *= f;
    if (ha)
      for (hsize_t i = 0; i < n; i++)
        s[0].y[i] *= 100;
    s[0].x     = t;
    s[0].n     = (PetscInt)PetscMin(n, nt);
    s[0].color = ha ? 0 : 3;
    l[0].color = s[0].color;
    PetscCall(PetscStrncpy(l[0].name, ha ? "HA remaining" : "enzyme at the gel", sizeof(l[0].name)));
    pl.ns = pl.nl = 1;
    pl.yzero      = PETSC_TRUE;
    if (ha) {
      pl.ymin = 0;
      pl.ymax = 105;
    }
    PetscCall(PetscSNPrintf(title, sizeof(title), ha ? "hyaluronic acid remaining in the gel" : "hyaluronidase at the gel"));
    if (json_is_object(tr)) {
      const char *product = json_string_value(json_object_get(tr, "product")), *preset = json_string_value(json_object_get(tr, "preset"));
      snprintf(sub, sizeof(sub), "treatment: %s%s%s, %g U in all%s", product ? product : "hyaluronidase", preset ? ", " : "", preset ? preset : "", json_number_value(json_object_get(tr, "total_units")), ha ? " (/treatment/ha_fraction)" : " (/treatment/enzyme_gel)");
    }
    PetscCall(PetscSNPrintf(xlabel, sizeof(xlabel), "time after the occlusion [%s]", unit));
    pl.ylabel       = ha ? "HA remaining [% of the gel injected]" : "enzyme at the gel [U]";
    pl.legend_title = NULL;
    PetscCall(MarkTime(o, f, &pl));
    PetscCall(DrawPlot(p, o, path, &pl));
    PetscCall(PetscFree(s[0].y));
  } else SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "--what %s: expected tree, zones, flow, areas, ha, enzyme or frames", what);
  PetscCall(PetscFree(t));
  PetscFunctionReturn(0);
}
