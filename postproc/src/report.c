/* The HTML report of a run (havoc report): one self-contained page for teaching, written from the run's
   files only (post.h). Pictures come from render.h, drawn into a temporary directory and embedded as
   base64 PNG data URIs; the page needs no other file and no network. Every text taken from the run is
   escaped. */
#include "post.h"
#include "render.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A growing text. */
typedef struct {
  char  *s;
  size_t n, cap;
} Buf;

static PetscErrorCode Put(Buf *b, const char *s, size_t len)
{
  PetscFunctionBeginUser;
  if (b->n + len + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (b->n + len + 1 > cap)
      cap *= 2;
    PetscCall(PetscRealloc(cap, &b->s));
    b->cap = cap;
  }
  memcpy(b->s + b->n, s, len);
  b->n += len;
  b->s[b->n] = 0;
  PetscFunctionReturn(0);
}

/* Markup, as is: never text from the run. */
static PetscErrorCode Raw(Buf *b, const char *s)
{
  PetscFunctionBeginUser;
  PetscCall(Put(b, s, strlen(s)));
  PetscFunctionReturn(0);
}

/* Text, escaped for element content and attribute values. */
static PetscErrorCode Esc(Buf *b, const char *s)
{
  PetscFunctionBeginUser;
  for (const char *c = s; *c; c++) {
    const char *e = NULL;
    switch (*c) {
    case '&':
      e = "&amp;";
      break;
    case '<':
      e = "&lt;";
      break;
    case '>':
      e = "&gt;";
      break;
    case '"':
      e = "&quot;";
      break;
    case '\'':
      e = "&#39;";
      break;
    default:
      break;
    }
    if (e) PetscCall(Put(b, e, strlen(e)));
    else PetscCall(Put(b, c, 1));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode VFormat(Buf *b, PetscBool escape, const char *fmt, va_list ap)
{
  char    small[512], *big = NULL, *s = small;
  va_list aq;
  int     n;

  PetscFunctionBeginUser;
  va_copy(aq, ap);
  n = vsnprintf(small, sizeof(small), fmt, ap);
  if (n >= 0 && (size_t)n >= sizeof(small)) {
    if (PetscMalloc1((size_t)n + 1, &big)) n = -1;
    else {
      vsnprintf(big, (size_t)n + 1, fmt, aq);
      s = big;
    }
  }
  va_end(aq);
  PetscCheck(n >= 0, PETSC_COMM_SELF, PETSC_ERR_PLIB, "report: cannot format '%s'", fmt);
  if (escape) PetscCall(Esc(b, s));
  else PetscCall(Put(b, s, (size_t)n));
  PetscCall(PetscFree(big));
  PetscFunctionReturn(0);
}

/* Formatted markup: the arguments must not be text from the run (numbers, or text already escaped). */
static PetscErrorCode Fmt(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static PetscErrorCode Fmt(Buf *b, const char *fmt, ...)
{
  va_list        ap;
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  va_start(ap, fmt);
  ierr = VFormat(b, PETSC_FALSE, fmt, ap);
  va_end(ap);
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

/* Formatted text, escaped as a whole. */
static PetscErrorCode FmtEsc(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static PetscErrorCode FmtEsc(Buf *b, const char *fmt, ...)
{
  va_list        ap;
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  va_start(ap, fmt);
  ierr = VFormat(b, PETSC_TRUE, fmt, ap);
  va_end(ap);
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

/* A section left out: one line saying why. */
static PetscErrorCode Note(Buf *b, const char *text)
{
  PetscFunctionBeginUser;
  PetscCall(Raw(b, "<p class=\"note\">"));
  PetscCall(Esc(b, text));
  PetscCall(Raw(b, "</p>\n"));
  PetscFunctionReturn(0);
}

/* ---- values ---- */

/* A time in the unit that suits it: s, min or h. */
static void TimeText(double t, char buf[], size_t len)
{
  double a = fabs(t);
  if (a >= 3600) snprintf(buf, len, "%.4g h", t / 3600);
  else if (a >= 60) snprintf(buf, len, "%.4g min", t / 60);
  else snprintf(buf, len, "%.4g s", t);
}

/* The unit of a series of times, chosen by the largest. */
static const char *TimeUnit(double tmax, double *scale)
{
  tmax = fabs(tmax);
  if (tmax >= 3600) {
    *scale = 3600;
    return "h";
  }
  if (tmax >= 60) {
    *scale = 60;
    return "min";
  }
  *scale = 1;
  return "s";
}

static double Num(json_t *v, double dflt)
{
  return json_is_number(v) ? json_number_value(v) : dflt;
}

/* A JSON value as text: numbers to 6 digits, booleans yes/no, null '-', arrays joined, objects compact. */
static PetscErrorCode JsonText(Buf *b, json_t *v)
{
  PetscFunctionBeginUser;
  if (!v || json_is_null(v)) PetscCall(Raw(b, "&ndash;"));
  else if (json_is_string(v)) PetscCall(Esc(b, json_string_value(v)));
  else if (json_is_integer(v)) PetscCall(Fmt(b, "%lld", (long long)json_integer_value(v)));
  else if (json_is_number(v)) PetscCall(Fmt(b, "%.6g", json_number_value(v)));
  else if (json_is_boolean(v)) PetscCall(Raw(b, json_is_true(v) ? "yes" : "no"));
  else if (json_is_array(v)) {
    size_t  i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
      if (i) PetscCall(Raw(b, ", "));
      PetscCall(JsonText(b, e));
    }
  } else {
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    PetscCheck(s, PETSC_COMM_SELF, PETSC_ERR_MEM, "report: cannot format a JSON value");
    PetscCall(Esc(b, s));
    free(s);
  }
  PetscFunctionReturn(0);
}

/* A table row: a heading cell and a value cell (value: markup, already escaped). */
static PetscErrorCode Row(Buf *b, const char *key, const char *value_markup)
{
  PetscFunctionBeginUser;
  PetscCall(Raw(b, "<tr><th>"));
  PetscCall(Esc(b, key));
  PetscCall(Raw(b, "</th><td>"));
  PetscCall(Raw(b, value_markup ? value_markup : ""));
  PetscCall(Raw(b, "</td></tr>\n"));
  PetscFunctionReturn(0);
}

static PetscErrorCode RowJson(Buf *b, const char *key, json_t *v)
{
  Buf t = {0};

  PetscFunctionBeginUser;
  if (!v) PetscFunctionReturn(0);
  PetscCall(JsonText(&t, v));
  PetscCall(Row(b, key, t.s));
  PetscCall(PetscFree(t.s));
  PetscFunctionReturn(0);
}

static PetscErrorCode RowText(Buf *b, const char *key, const char *text)
{
  Buf t = {0};

  PetscFunctionBeginUser;
  PetscCall(Esc(&t, text));
  PetscCall(Row(b, key, t.s));
  PetscCall(PetscFree(t.s));
  PetscFunctionReturn(0);
}

/* ---- pictures ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* <img> with the PNG at path as a data URI; the file is removed afterwards. */
static PetscErrorCode Image(Buf *b, const char path[], const char alt[], const char cls[])
{
  char  *bytes;
  size_t len;
  char   quad[4];

  PetscFunctionBeginUser;
  PetscCall(HavocReadFile(PETSC_COMM_SELF, path, "picture", &bytes, &len));
  PetscCall(Fmt(b, "<img class=\"%s\" alt=\"", cls));
  PetscCall(Esc(b, alt));
  PetscCall(Raw(b, "\" src=\"data:image/png;base64,"));
  for (size_t i = 0; i < len; i += 3) {
    unsigned v = (unsigned)(unsigned char)bytes[i] << 16;
    if (i + 1 < len) v |= (unsigned)(unsigned char)bytes[i + 1] << 8;
    if (i + 2 < len) v |= (unsigned)(unsigned char)bytes[i + 2];
    quad[0] = b64[(v >> 18) & 63];
    quad[1] = b64[(v >> 12) & 63];
    quad[2] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
    quad[3] = i + 2 < len ? b64[v & 63] : '=';
    PetscCall(Put(b, quad, 4));
  }
  PetscCall(Raw(b, "\">"));
  PetscCall(PetscFree(bytes));
  (void)remove(path);
  PetscFunctionReturn(0);
}

/* ---- sections ---- */

static const char style[] = "*{box-sizing:border-box}body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:0 auto;max-width:1400px;padding:12px 24px;color:#1d1d1f;background:#fff;line-height:1.4}\n"
                            "h1{font-size:1.6em;margin:.3em 0}h2{font-size:1.3em;border-bottom:2px solid #ccd;margin-top:1.6em}h3{font-size:1.05em;margin-bottom:.3em}\n"
                            ".meta{color:#555;font-size:.9em}.note{color:#666;font-style:italic}\n"
                            "table{border-collapse:collapse;margin:.4em 0 1em;font-size:.92em}th,td{border:1px solid #ccd;padding:3px 8px;text-align:left;vertical-align:top}\n"
                            "thead th{background:#eef}td.n{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:bold}\n"
                            ".controls{display:flex;align-items:center;gap:14px;margin:.6em 0;position:sticky;top:0;background:#fff;padding:4px 0;z-index:1}\n"
                            "#slider{width:min(600px,60vw)}#time{font-weight:bold;min-width:9em}\n"
                            ".frame{display:flex;flex-wrap:wrap;gap:12px}.frame[hidden]{display:none}\n"
                            "img.pic{width:calc(50% - 6px);max-width:640px;height:auto;border:1px solid #ddd}@media(max-width:800px){img.pic{width:100%}}\n"
                            "img.plot{width:100%;height:auto;border:1px solid #ddd}\n"
                            ".plots{display:flex;flex-wrap:wrap;gap:12px}.plots figure{flex:1 1 560px;max-width:800px}figure{margin:0}figcaption{font-size:.9em;color:#444}\n"
                            ".opts td:first-child{font-family:ui-monospace,monospace;white-space:nowrap}\n";

/* Records errors of the page's own script for the test (data-errors on <html>). */
static const char script_guard[] = "<script>window.addEventListener('error',function(e){var h=document.documentElement;h.setAttribute('data-errors',(h.getAttribute('data-errors')||'')+e.message+';');});</script>\n";

/* The slider shows frame k; '#slider=first', '#slider=last' or '#slider=K' in the address moves it the way a
   user does (a real 'input' event), for links and for the test. */
static const char script_slider[] = "<script>\n"
                                    "(function(){\n"
                                    "  var s=document.getElementById('slider');\n"
                                    "  if(!s)return;\n"
                                    "  var frames=document.querySelectorAll('.frame'),label=document.getElementById('time');\n"
                                    "  function show(){\n"
                                    "    var k=parseInt(s.value,10);\n"
                                    "    for(var i=0;i<frames.length;i++)frames[i].hidden=(i!==k);\n"
                                    "    label.textContent=frames[k].getAttribute('data-time');\n"
                                    "    document.documentElement.setAttribute('data-frame',String(k));\n"
                                    "  }\n"
                                    "  s.addEventListener('input',show);\n"
                                    "  function fromHash(){\n"
                                    "    var m=/slider=(\\w+)/.exec(location.hash);\n"
                                    "    if(!m)return;\n"
                                    "    s.value=m[1]==='last'?s.max:m[1]==='first'?s.min:m[1];\n"
                                    "    s.dispatchEvent(new Event('input',{bubbles:true}));\n"
                                    "  }\n"
                                    "  window.addEventListener('hashchange',fromHash);\n"
                                    "  show();\n"
                                    "  fromHash();\n"
                                    "})();\n"
                                    "</script>\n";

static PetscErrorCode Header(Buf *b, const HavocPost *p, const char casename[])
{
  json_t *s = p->summary;

  PetscFunctionBeginUser;
  PetscCall(Raw(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<link rel=\"icon\" href=\"data:,\">\n<title>havoc report: "));
  PetscCall(Esc(b, casename));
  PetscCall(Raw(b, "</title>\n<style>\n"));
  PetscCall(Raw(b, style));
  PetscCall(Raw(b, "</style>\n"));
  PetscCall(Raw(b, script_guard));
  PetscCall(Raw(b, "</head>\n<body>\n<h1>"));
  PetscCall(Esc(b, casename));
  PetscCall(Raw(b, "</h1>\n"));
  if (json_string_length(json_object_get(s, "description"))) {
    PetscCall(Raw(b, "<p>"));
    PetscCall(Esc(b, json_string_value(json_object_get(s, "description"))));
    PetscCall(Raw(b, "</p>\n"));
  }
  PetscCall(Raw(b, "<p class=\"meta\">havoc "));
  PetscCall(Esc(b, json_is_string(json_object_get(s, "version")) ? json_string_value(json_object_get(s, "version")) : "?"));
  if (json_is_string(json_object_get(s, "created"))) {
    PetscCall(Raw(b, ", run written "));
    PetscCall(Esc(b, json_string_value(json_object_get(s, "created"))));
  }
  if (json_is_array(json_object_get(s, "phases"))) {
    PetscCall(Raw(b, "; phases: "));
    PetscCall(JsonText(b, json_object_get(s, "phases")));
  }
  PetscCall(Raw(b, "; from "));
  PetscCall(Esc(b, p->dir));
  PetscCall(Raw(b, "</p>\n"));
  PetscFunctionReturn(0);
}

/* The tree (and the zone map when the run has tissue) at every time, one frame per time, and the slider. */
static PetscErrorCode Pictures(Buf *b, const HavocPost *p, const char tmpdir[], PetscInt max_frames, PetscInt *nframes)
{
  PetscInt           n, m, *pick;
  PetscReal         *times;
  PetscBool          zones = HavocPostHas(p, "/tissue/zone");
  HavocRenderOptions o;
  const char        *unit;
  double             scale;

  PetscFunctionBeginUser;
  *nframes = 0;
  PetscCall(Raw(b, zones ? "<h2>The tree and the tissue over time</h2>\n" : "<h2>The tree over time</h2>\n"));
  PetscCall(HavocRenderTimes(p, &n, &times));
  if (n < 1) {
    PetscCall(Note(b, "The run recorded no snapshot of the tree and no tissue map: no pictures."));
    PetscCall(PetscFree(times));
    PetscFunctionReturn(0);
  }
  /* at most max_frames, evenly spread, always the first and the last */
  m = PetscMin(n, max_frames);
  PetscCall(PetscMalloc1(m, &pick));
  for (PetscInt k = 0; k < m; k++)
    pick[k] = m > 1 ? (PetscInt)((double)k * (double)(n - 1) / (double)(m - 1) + 0.5) : n - 1;
  unit = TimeUnit(times[n - 1], &scale);
  if (zones) PetscCall(Raw(b, "<p>Left: the arterial tree, each vessel coloured by its flow as a fraction of its healthy flow, lodged gel marked. Right: the tissue zones (normal, ischemic, at risk, necrotic). Times are counted from the occlusion.</p>\n"));
  else {
    PetscCall(Raw(b, "<p>The arterial tree, each vessel coloured by its flow as a fraction of its healthy flow.</p>\n"));
    PetscCall(Note(b, "No tissue map in this run (no tissue phase): the zone maps are left out."));
  }
  if (m < n) PetscCall(Fmt(b, "<p class=\"note\">%" PetscInt_FMT " of the %" PetscInt_FMT " recorded times are shown, evenly spread (-report_frames).</p>\n", m, n));
  PetscCall(Fmt(b, "<div class=\"controls\"><label for=\"slider\">Time</label><input type=\"range\" id=\"slider\" min=\"0\" max=\"%" PetscInt_FMT "\" step=\"1\" value=\"0\"><span id=\"time\"></span></div>\n", m - 1));
  PetscCall(HavocRenderOptionsDefault(&o));
  o.width  = 640;
  o.height = 640;
  for (PetscInt k = 0; k < m; k++) {
    char path[PETSC_MAX_PATH_LEN], label[64], alt[128];
    o.time = times[pick[k]];
    PetscCall(PetscSNPrintf(label, sizeof(label), "t = %.4g %s", (double)(o.time / scale), unit));
    PetscCall(Fmt(b, "<div class=\"frame\" data-time=\"%s\"%s>\n", label, k ? " hidden" : ""));
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/tree-%" PetscInt_FMT ".png", tmpdir, k));
    PetscCall(HavocRenderTree(p, &o, path));
    PetscCall(PetscSNPrintf(alt, sizeof(alt), "the arterial tree at %s", label));
    PetscCall(Image(b, path, alt, "pic"));
    if (zones) {
      PetscCall(PetscSNPrintf(path, sizeof(path), "%s/zones-%" PetscInt_FMT ".png", tmpdir, k));
      PetscCall(HavocRenderZones(p, &o, path));
      PetscCall(PetscSNPrintf(alt, sizeof(alt), "tissue zones at %s", label));
      PetscCall(Image(b, path, alt, "pic"));
    }
    PetscCall(Raw(b, "\n</div>\n"));
  }
  *nframes = m;
  PetscCall(PetscFree(pick));
  PetscCall(PetscFree(times));
  PetscFunctionReturn(0);
}

static PetscErrorCode Lodging(Buf *b, json_t *bolus)
{
  json_t *lodged = json_object_get(bolus, "lodged"), *e;
  size_t  i;

  PetscFunctionBeginUser;
  PetscCall(Raw(b, "<h3>Where the gel lodged</h3>\n"));
  if (json_is_number(json_object_get(bolus, "injected_volume_m3"))) {
    PetscCall(Fmt(b, "<p>Injected %.4g &micro;L", Num(json_object_get(bolus, "injected_volume_m3"), 0) * 1e9));
    if (json_is_number(json_object_get(bolus, "in_slugs_volume_m3"))) PetscCall(Fmt(b, "; %.4g &micro;L in slugs in the arteries", Num(json_object_get(bolus, "in_slugs_volume_m3"), 0) * 1e9));
    if (json_is_number(json_object_get(bolus, "delivered_volume_m3"))) PetscCall(Fmt(b, ", %.4g &micro;L carried into capillary beds", Num(json_object_get(bolus, "delivered_volume_m3"), 0) * 1e9));
    if (Num(json_object_get(bolus, "dissolved_volume_m3"), 0) > 0) PetscCall(Fmt(b, ", %.4g &micro;L dissolved", Num(json_object_get(bolus, "dissolved_volume_m3"), 0) * 1e9));
    PetscCall(Raw(b, ".</p>\n"));
  }
  if (!json_array_size(lodged)) {
    PetscCall(Note(b, "No slug of gel at the end of the run."));
    PetscFunctionReturn(0);
  }
  PetscCall(Raw(b, "<table><thead><tr><th>slug</th><th>vessel</th><th>centre [mm]</th><th>span [mm]</th><th>volume [&micro;L]</th><th>state</th><th>held by</th></tr></thead><tbody>\n"));
  json_array_foreach(lodged, i, e)
  {
    PetscCall(Raw(b, "<tr><td class=\"n\">"));
    PetscCall(JsonText(b, json_object_get(e, "id")));
    PetscCall(Raw(b, "</td><td>"));
    PetscCall(JsonText(b, json_object_get(e, "vessel")));
    PetscCall(Fmt(b, "</td><td class=\"n\">%.3g</td><td class=\"n\">%.3g&ndash;%.3g</td><td class=\"n\">%.3g</td><td>", Num(json_object_get(e, "position_m"), NAN) * 1e3, Num(json_object_get(e, "from_m"), NAN) * 1e3, Num(json_object_get(e, "to_m"), NAN) * 1e3, Num(json_object_get(e, "volume_m3"), NAN) * 1e9));
    PetscCall(JsonText(b, json_object_get(e, "state")));
    PetscCall(Raw(b, "</td><td>"));
    PetscCall(JsonText(b, json_object_get(e, "lodged_by")));
    PetscCall(Raw(b, "</td></tr>\n"));
  }
  PetscCall(Raw(b, "</tbody></table>\n"));
  {
    json_t *beds = json_object_get(bolus, "terminal_beds");
    if (json_array_size(beds)) {
      PetscCall(Raw(b, "<p>Capillary beds embolized: "));
      json_array_foreach(beds, i, e)
      {
        if (i) PetscCall(Raw(b, ", "));
        PetscCall(JsonText(b, json_object_get(e, "territory")));
        PetscCall(Fmt(b, " (%.3g &micro;L)", Num(json_object_get(e, "volume_m3"), NAN) * 1e9));
      }
      PetscCall(Raw(b, ".</p>\n"));
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Reach(Buf *b, json_t *bolus)
{
  json_t *r = json_object_get(bolus, "most_proximal_reach");

  PetscFunctionBeginUser;
  PetscCall(Raw(b, "<h3>Retrograde reach</h3>\n<table><tbody>\n"));
  if (json_is_string(json_object_get(r, "vessel"))) {
    Buf    t  = {0};
    double pb = Num(json_object_get(r, "baseline_pressure_Pa"), NAN);
    PetscCall(JsonText(&t, json_object_get(r, "vessel")));
    PetscCall(Fmt(&t, ", %.3g mm from its start; healthy pressure there %.3g kPa (%.0f mmHg)", Num(json_object_get(r, "position_m"), NAN) * 1e3, pb / 1e3, pb / 133.322387415));
    PetscCall(Row(b, "most proximal point reached", t.s));
    PetscCall(PetscFree(t.s));
  } else PetscCall(Row(b, "most proximal point reached", "not recorded in this run (the gel was restored from an earlier run: see its report)"));
  if (json_array_size(json_object_get(bolus, "reached_vessels"))) {
    Buf t = {0};
    PetscCall(Fmt(&t, "%zu: ", json_array_size(json_object_get(bolus, "reached_vessels"))));
    PetscCall(JsonText(&t, json_object_get(bolus, "reached_vessels")));
    PetscCall(Row(b, "vessels the gel entered", t.s));
    PetscCall(PetscFree(t.s));
  }
  PetscCall(RowJson(b, "gel reached the ophthalmic artery", json_object_get(bolus, "reached_ophthalmic")));
  PetscCall(RowJson(b, "gel reached the central retinal artery", json_object_get(bolus, "reached_central_retinal")));
  PetscCall(Raw(b, "</tbody></table>\n"));
  PetscFunctionReturn(0);
}

static PetscErrorCode Areas(Buf *b, json_t *tissue, json_t *retina)
{
  json_t *terr = json_object_get(tissue, "territories"), *times = json_object_get(tissue, "report_times_s"), *e;
  size_t  i, nt = json_array_size(times), shown = 0, onmap = 0;
  double *isum, *nsum;

  PetscFunctionBeginUser;
  PetscCall(Raw(b, "<h3>Ischemic and necrotic areas</h3>\n"));
  if (!nt || !json_array_size(terr)) {
    PetscCall(Note(b, "The tissue phase reported no areas."));
    PetscFunctionReturn(0);
  }
  PetscCall(PetscCalloc2(nt, &isum, nt, &nsum));
  PetscCall(Raw(b, "<table><thead><tr><th rowspan=\"2\">territory</th><th rowspan=\"2\">tissue</th><th rowspan=\"2\">area [cm&sup2;]</th>"));
  for (size_t k = 0; k < nt; k++) {
    char t[32];
    TimeText(Num(json_array_get(times, k), NAN), t, sizeof(t));
    PetscCall(Fmt(b, "<th colspan=\"2\">at %s</th>", t));
  }
  PetscCall(Raw(b, "</tr><tr>"));
  for (size_t k = 0; k < nt; k++)
    PetscCall(Raw(b, "<th>ischemic</th><th>necrotic</th>"));
  PetscCall(Raw(b, "</tr></thead><tbody>\n"));
  json_array_foreach(terr, i, e)
  {
    json_t   *isc = json_object_get(e, "ischemic_cm2"), *nec = json_object_get(e, "necrotic_cm2");
    PetscBool any = PETSC_FALSE;
    if (!json_is_true(json_object_get(e, "on_map"))) continue;
    onmap++;
    for (size_t k = 0; k < nt; k++) {
      double a = Num(json_array_get(isc, k), 0), c = Num(json_array_get(nec, k), 0);
      isum[k] += a;
      nsum[k] += c;
      if (a > 0 || c > 0) any = PETSC_TRUE;
    }
    if (!any) continue;
    shown++;
    PetscCall(Raw(b, "<tr><td>"));
    PetscCall(JsonText(b, json_object_get(e, "territory")));
    PetscCall(Raw(b, "</td><td>"));
    PetscCall(JsonText(b, json_object_get(e, "tissue")));
    PetscCall(Fmt(b, "</td><td class=\"n\">%.3g</td>", Num(json_object_get(e, "area_cm2"), NAN)));
    for (size_t k = 0; k < nt; k++)
      PetscCall(Fmt(b, "<td class=\"n\">%.3g</td><td class=\"n\">%.3g</td>", Num(json_array_get(isc, k), 0), Num(json_array_get(nec, k), 0)));
    PetscCall(Raw(b, "</tr>\n"));
  }
  PetscCall(Fmt(b, "<tr class=\"total\"><td colspan=\"3\">all %zu territories on the map</td>", onmap));
  for (size_t k = 0; k < nt; k++)
    PetscCall(Fmt(b, "<td class=\"n\">%.3g</td><td class=\"n\">%.3g</td>", isum[k], nsum[k]));
  PetscCall(Raw(b, "</tr>\n</tbody></table>\n"));
  if (!shown) PetscCall(Note(b, "No territory on the map was ischemic or necrotic at any report time."));
  PetscCall(PetscFree2(isum, nsum));
  if (json_object_size(retina)) {
    const char *key;
    json_t     *r;
    PetscCall(Raw(b, "<table><thead><tr><th>retina</th><th>state</th><th>ischemic [min]</th><th>infarcted after [min]</th><th>perfusion ratio</th></tr></thead><tbody>\n"));
    json_object_foreach(retina, key, r)
    {
      PetscCall(Raw(b, "<tr><td>"));
      PetscCall(Esc(b, key));
      PetscCall(Raw(b, "</td><td>"));
      PetscCall(JsonText(b, json_object_get(r, "state")));
      PetscCall(Raw(b, "</td><td class=\"n\">"));
      PetscCall(JsonText(b, json_object_get(r, "ischemic_minutes")));
      PetscCall(Raw(b, "</td><td class=\"n\">"));
      PetscCall(JsonText(b, json_object_get(r, "infarcted_after_minutes")));
      PetscCall(Fmt(b, "</td><td class=\"n\">%.3g</td></tr>\n", Num(json_object_get(r, "perfusion_ratio"), NAN)));
    }
    PetscCall(Raw(b, "</tbody></table>\n"));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Treatment(Buf *b, json_t *tr)
{
  json_t *slugs = json_object_get(tr, "slugs"), *times = json_object_get(tr, "output_times_s"), *ha = json_object_get(tr, "ha_remaining_fraction"), *doses = json_object_get(tr, "doses"), *e;
  size_t  i;
  char    t[32];

  PetscFunctionBeginUser;
  PetscCall(Raw(b, "<h3>Treatment with hyaluronidase</h3>\n<table><tbody>\n"));
  {
    Buf    v  = {0};
    size_t nd = json_array_size(doses);
    PetscCall(Fmt(&v, "%.4g U", Num(json_object_get(tr, "total_units"), NAN)));
    if (nd) {
      TimeText(Num(json_object_get(json_array_get(doses, 0), "t_s"), NAN), t, sizeof(t));
      PetscCall(Fmt(&v, " in %zu dose%s from %s", nd, nd == 1 ? "" : "s", t));
    }
    if (json_is_string(json_object_get(tr, "product"))) {
      PetscCall(Raw(&v, " ("));
      PetscCall(JsonText(&v, json_object_get(tr, "product")));
      if (json_is_string(json_object_get(tr, "preset"))) {
        PetscCall(Raw(&v, ", "));
        PetscCall(JsonText(&v, json_object_get(tr, "preset")));
      }
      PetscCall(Raw(&v, ")"));
    }
    PetscCall(Row(b, "enzyme given", v.s));
    PetscCall(PetscFree(v.s));
  }
  if (json_is_number(json_object_get(tr, "stopped_reperfused_s"))) {
    TimeText(Num(json_object_get(tr, "stopped_reperfused_s"), NAN), t, sizeof(t));
    PetscCall(RowText(b, "stopped (reperfused) at", t));
  }
  if (json_is_number(json_object_get(tr, "necrotic_area_cm2"))) {
    Buf v = {0};
    PetscCall(Fmt(&v, "%.3g cm&sup2;", Num(json_object_get(tr, "necrotic_area_cm2"), NAN)));
    if (json_is_number(json_object_get(tr, "necrotic_area_at_s"))) {
      TimeText(Num(json_object_get(tr, "necrotic_area_at_s"), NAN), t, sizeof(t));
      PetscCall(Fmt(&v, " at %s", t));
    }
    PetscCall(Row(b, "necrotic skin", v.s));
    PetscCall(PetscFree(v.s));
  }
  if (json_array_size(ha)) {
    Buf v = {0};
    json_array_foreach(ha, i, e)
    {
      TimeText(Num(json_array_get(times, i), NAN), t, sizeof(t));
      PetscCall(Fmt(&v, "%s%.1f %% at %s", i ? ", " : "", Num(e, NAN) * 100, t));
    }
    PetscCall(Row(b, "HA remaining", v.s));
    PetscCall(PetscFree(v.s));
  }
  if (json_array_size(slugs)) {
    size_t re = 0;
    json_array_foreach(slugs, i, e)
    {
      if (json_is_number(json_object_get(e, "recanalized_s"))) re++;
    }
    PetscCall(Fmt(b, "<tr><th>slugs recanalized</th><td>%zu of %zu</td></tr>\n", re, json_array_size(slugs)));
  }
  PetscCall(Raw(b, "</tbody></table>\n"));
  if (json_array_size(slugs)) {
    PetscCall(Raw(b, "<table><thead><tr><th>slug</th><th>vessel</th><th>recanalized at</th><th>how</th></tr></thead><tbody>\n"));
    json_array_foreach(slugs, i, e)
    {
      PetscCall(Raw(b, "<tr><td class=\"n\">"));
      PetscCall(JsonText(b, json_object_get(e, "id")));
      PetscCall(Raw(b, "</td><td>"));
      PetscCall(JsonText(b, json_object_get(e, "vessel")));
      PetscCall(Raw(b, "</td><td class=\"n\">"));
      if (json_is_number(json_object_get(e, "recanalized_s"))) {
        TimeText(Num(json_object_get(e, "recanalized_s"), NAN), t, sizeof(t));
        PetscCall(Raw(b, t));
      } else PetscCall(Raw(b, "&ndash;"));
      PetscCall(Raw(b, "</td><td>"));
      PetscCall(JsonText(b, json_object_get(e, "how")));
      PetscCall(Raw(b, "</td></tr>\n"));
    }
    PetscCall(Raw(b, "</tbody></table>\n"));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode KeyFigures(Buf *b, const HavocPost *p)
{
  json_t *bolus = json_object_get(p->summary, "bolus"), *tissue = json_object_get(p->summary, "tissue"), *tr = json_object_get(p->summary, "treatment");

  PetscFunctionBeginUser;
  PetscCall(Raw(b, "<h2>Key figures</h2>\n"));
  if (json_is_object(bolus)) {
    PetscCall(Lodging(b, bolus));
    PetscCall(Reach(b, bolus));
  } else PetscCall(Note(b, "No bolus in this run: no lodging sites and no retrograde reach."));
  if (json_is_object(tissue)) PetscCall(Areas(b, tissue, json_object_get(p->summary, "retina")));
  else PetscCall(Note(b, "No tissue phase in this run: no ischemic or necrotic areas."));
  if (json_is_object(tr)) PetscCall(Treatment(b, tr));
  else PetscCall(Note(b, "No treatment in this run: no treatment outcome."));
  PetscFunctionReturn(0);
}

static PetscErrorCode Plots(Buf *b, const HavocPost *p, const char tmpdir[])
{
  static const struct {
    const char *what, *path, *title, *missing;
  } plots[] = {
    {"flow", "/probes/q", "Flow in the main vessels over the pulsatile phase", "no pulsatile phase (no flow time series)"},
    {"areas", NULL, "Ischemic and necrotic area per territory", "no tissue phase"},
    {"ha", "/treatment/ha_fraction", "HA remaining in the gel", "no treatment"},
    {"enzyme", "/treatment/enzyme_gel", "Enzyme at the gel", "no treatment"},
  };
  json_t            *tissue = json_object_get(p->summary, "tissue");
  HavocRenderOptions o;
  PetscBool          open = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(Raw(b, "<h2>Plots</h2>\n"));
  PetscCall(HavocRenderOptionsDefault(&o));
  o.width  = 800;
  o.height = 450;
  for (size_t k = 0; k < sizeof(plots) / sizeof(plots[0]); k++) {
    char path[PETSC_MAX_PATH_LEN];
    /* what each plot reads: a dataset of result.h5, or (areas) the territories of summary.json */
    if (plots[k].path ? !HavocPostHas(p, plots[k].path) : !(json_array_size(json_object_get(tissue, "territories")) && json_array_size(json_object_get(tissue, "report_times_s")))) {
      if (open) PetscCall(Raw(b, "</div>\n"));
      open = PETSC_FALSE;
      PetscCall(Raw(b, "<p class=\"note\">"));
      PetscCall(FmtEsc(b, "%s: left out, %s.", plots[k].title, plots[k].missing));
      PetscCall(Raw(b, "</p>\n"));
      continue;
    }
    if (!open) PetscCall(Raw(b, "<div class=\"plots\">\n"));
    open = PETSC_TRUE;
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/plot-%s.png", tmpdir, plots[k].what));
    PetscCall(HavocRenderPlot(p, plots[k].what, &o, path));
    PetscCall(Raw(b, "<figure>"));
    PetscCall(Image(b, path, plots[k].title, "plot"));
    PetscCall(Raw(b, "<figcaption>"));
    PetscCall(Esc(b, plots[k].title));
    PetscCall(Raw(b, "</figcaption></figure>\n"));
  }
  if (open) PetscCall(Raw(b, "</div>\n"));
  PetscFunctionReturn(0);
}

/* The options line of result.h5 ("-name value ..."; a value may hold spaces) as a table. */
static PetscErrorCode Options(Buf *b, const char *line)
{
  const char *c = line;

  PetscFunctionBeginUser;
  PetscCall(Raw(b, "<table class=\"opts\"><thead><tr><th>option</th><th>value</th></tr></thead><tbody>\n"));
  while (*c) {
    const char *name, *ename, *val, *end;
    while (*c == ' ')
      c++;
    if (!*c) break;
    name  = c;
    ename = name;
    while (*ename && *ename != ' ')
      ename++;
    val = ename;
    while (*val == ' ')
      val++;
    /* the value runs to the next " -x" with x a letter (a negative number is a value) */
    end = val;
    while (*end && !(end[0] == ' ' && end[1] == '-' && ((end[2] >= 'a' && end[2] <= 'z') || (end[2] >= 'A' && end[2] <= 'Z'))))
      end++;
    c = end;
    while (end > val && end[-1] == ' ')
      end--;
    PetscCall(Raw(b, "<tr><td>"));
    PetscCall(FmtEsc(b, "%.*s", (int)(ename - name), name));
    PetscCall(Raw(b, "</td><td>"));
    PetscCall(FmtEsc(b, "%.*s", (int)(end - val), val));
    PetscCall(Raw(b, "</td></tr>\n"));
  }
  PetscCall(Raw(b, "</tbody></table>\n"));
  PetscFunctionReturn(0);
}

static PetscErrorCode Parameters(Buf *b, const HavocPost *p)
{
  json_t     *s = p->summary, *bolus = json_object_get(s, "bolus"), *v;
  const char *keys[][2] = {
    {"case", "case"},
    {"description", "description"},
    {"case_file", "case file"},
    {"mesh", "network file"},
    {"phases", "phases"},
    {"ranks", "MPI ranks"},
    {"wall_time_s", "wall time [s]"},
    {"version", "havoc version"},
    {"created", "written"},
  };
  char *opts = NULL;

  PetscFunctionBeginUser;
  PetscCall(Raw(b, "<h2>The case</h2>\n<table><tbody>\n"));
  for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
    if ((v = json_object_get(s, keys[k][0]))) PetscCall(RowJson(b, keys[k][1], v));
  if (json_is_object(v = json_object_get(s, "inputs"))) {
    const char *key;
    json_t     *x;
    json_object_foreach(v, key, x) PetscCall(RowJson(b, key, x));
  }
  if (p->file >= 0) {
    char buf[256];
    PetscCall(HavocPostAttribute(p, "/", "case", buf, sizeof(buf)));
    if (buf[0]) PetscCall(RowText(b, "case (result.h5)", buf));
    PetscCall(HavocPostAttribute(p, "/", "havoc_version", buf, sizeof(buf)));
    if (buf[0]) PetscCall(RowText(b, "havoc version (result.h5)", buf));
  }
  PetscCall(Raw(b, "</tbody></table>\n"));
  if (json_is_object(v = json_object_get(bolus, "product"))) {
    json_t *tip = json_object_get(bolus, "tip");
    PetscCall(Raw(b, "<h3>The filler</h3>\n<table><tbody>\n"));
    PetscCall(RowJson(b, "product", json_object_get(v, "label")));
    if (json_is_number(json_object_get(v, "ha_concentration_kgm3"))) PetscCall(Fmt(b, "<tr><th>HA concentration</th><td>%.4g mg/mL</td></tr>\n", Num(json_object_get(v, "ha_concentration_kgm3"), NAN)));
    if (json_is_number(json_object_get(v, "storage_modulus_Pa"))) PetscCall(Fmt(b, "<tr><th>storage modulus G&prime;</th><td>%.4g Pa</td></tr>\n", Num(json_object_get(v, "storage_modulus_Pa"), NAN)));
    if (json_is_number(json_object_get(v, "yield_stress_Pa"))) PetscCall(Fmt(b, "<tr><th>yield stress</th><td>%.4g Pa</td></tr>\n", Num(json_object_get(v, "yield_stress_Pa"), NAN)));
    if (json_is_number(json_object_get(bolus, "requested_volume_m3"))) PetscCall(Fmt(b, "<tr><th>volume</th><td>%.4g mL</td></tr>\n", Num(json_object_get(bolus, "requested_volume_m3"), NAN) * 1e6));
    if (json_is_object(tip)) {
      Buf t = {0};
      if (json_is_true(json_object_get(tip, "extravascular"))) PetscCall(Raw(&t, "extravascular, "));
      PetscCall(JsonText(&t, json_object_get(tip, "vessel")));
      PetscCall(Fmt(&t, " at %.3g mm", Num(json_object_get(tip, "position_m"), NAN) * 1e3));
      PetscCall(Row(b, "needle tip", t.s));
      PetscCall(PetscFree(t.s));
    }
    PetscCall(Raw(b, "</tbody></table>\n"));
  }
  PetscCall(Raw(b, "<h3>Options in effect</h3>\n"));
  if (p->file >= 0) {
    PetscCall(PetscMalloc1(65536, &opts));
    PetscCall(HavocPostAttribute(p, "/", "options", opts, 65536));
  }
  if (opts && opts[0]) PetscCall(Options(b, opts));
  else PetscCall(Note(b, "result.h5 records no options."));
  PetscCall(PetscFree(opts));
  PetscFunctionReturn(0);
}

/* Removes the temporary directory of the pictures and whatever a failure left in it. */
static void RemoveTmpDir(const char tmpdir[])
{
  DIR           *d = opendir(tmpdir);
  struct dirent *e;
  char           path[PETSC_MAX_PATH_LEN];

  if (d) {
    while ((e = readdir(d)))
      if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
        if (snprintf(path, sizeof(path), "%s/", tmpdir) < (int)sizeof(path) && strlen(path) + strlen(e->d_name) < sizeof(path)) {
          strcat(path, e->d_name);
          (void)remove(path);
        }
      }
    closedir(d);
  }
  (void)rmdir(tmpdir);
}

static PetscErrorCode Page(Buf *b, const HavocPost *p, const char casename[], const char tmpdir[], PetscInt max_frames, PetscInt *nframes)
{
  PetscFunctionBeginUser;
  PetscCall(Header(b, p, casename));
  PetscCall(Pictures(b, p, tmpdir, max_frames, nframes));
  PetscCall(KeyFigures(b, p));
  PetscCall(Plots(b, p, tmpdir));
  PetscCall(Parameters(b, p));
  PetscCall(Raw(b, "<p class=\"meta\">Written by havoc report from the run's result.h5 and summary.json. A teaching aid from a simulation: not a clinical prediction.</p>\n"));
  PetscCall(Raw(b, script_slider));
  PetscCall(Raw(b, "</body>\n</html>\n"));
  PetscFunctionReturn(0);
}

/* Checks the output, draws the pictures into a temporary directory, writes the page. */
static PetscErrorCode Report(const HavocPost *p, const char out[], PetscInt max_frames, PetscInt *nframes, size_t *bytes)
{
  Buf            b = {0};
  char           tmpdir[PETSC_MAX_PATH_LEN], outdir[PETSC_MAX_PATH_LEN], casename[256] = "", *slash;
  const char    *tmproot = getenv("TMPDIR");
  struct stat    st;
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  /* the output must be writable before the pictures are drawn */
  PetscCheck(stat(out, &st) || !S_ISDIR(st.st_mode), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot write report '%s': it is a directory", out);
  PetscCall(PetscStrncpy(outdir, out, sizeof(outdir)));
  slash = strrchr(outdir, '/');
  if (slash) slash[slash == outdir ? 1 : 0] = 0;
  else PetscCall(PetscStrncpy(outdir, ".", sizeof(outdir)));
  PetscCheck(!stat(outdir, &st), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot write report '%s': %s", out, strerror(errno));
  PetscCheck(S_ISDIR(st.st_mode), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot write report '%s': %s", out, strerror(ENOTDIR));
  PetscCheck(!access(outdir, W_OK), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot write report '%s': %s", out, strerror(errno));

  if (json_is_string(json_object_get(p->summary, "case"))) PetscCall(PetscStrncpy(casename, json_string_value(json_object_get(p->summary, "case")), sizeof(casename)));
  if (!casename[0] && p->file >= 0) PetscCall(HavocPostAttribute(p, "/", "case", casename, sizeof(casename)));
  if (!casename[0]) PetscCall(PetscStrncpy(casename, p->dir, sizeof(casename)));

  PetscCall(PetscSNPrintf(tmpdir, sizeof(tmpdir), "%s/havoc-report-XXXXXX", tmproot && tmproot[0] ? tmproot : "/tmp"));
  PetscCheck(mkdtemp(tmpdir), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot make a temporary directory '%s' for the pictures: %s", tmpdir, strerror(errno));
  ierr = Page(&b, p, casename, tmpdir, max_frames, nframes);
  RemoveTmpDir(tmpdir);
  if (!ierr) ierr = HavocWriteTextFile(PETSC_COMM_SELF, out, "report", b.s);
  *bytes = b.n;
  PetscCall(PetscFree(b.s));
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocReportWrite(const char dir[], const char out[], PetscInt max_frames, PetscInt *nframes, size_t *bytes)
{
  HavocPost      p;
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  PetscCall(HavocPostOpen(dir, "both", &p));
  ierr = Report(&p, out, max_frames, nframes, bytes);
  PetscCall(HavocPostClose(&p));
  PetscCall(ierr);
  PetscFunctionReturn(0);
}
