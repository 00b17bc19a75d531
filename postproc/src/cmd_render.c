/* havoc render DIR [--what tree|zones|flow|areas|ha|enzyme|frames] [--color flow_fraction|pressure|velocity]
   [--time T] [--vessels a,b] [--size WxH] [--frames N] [-o FILE.png|FILE.svg|OUTDIR]: pictures of a
   finished run, drawn from its files (render.h). */
#include "cli.h"
#include "options.h"
#include "render.h"
#include "units.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *whats[] = {"tree", "zones", "flow", "areas", "ha", "enzyme", "frames", NULL};

/* The frames: N pictures (tree or zones) at evenly spaced recorded times, named PREFIX_0001.EXT or
   OUTDIR/frame_0001.png. */
static PetscErrorCode RenderFrames(const HavocPost *p, HavocRenderOptions *o, const char kind[], PetscInt nframes, const char out[])
{
  PetscInt   n;
  PetscReal *times;
  char       prefix[PETSC_MAX_PATH_LEN], ext[8] = ".png", first[PETSC_MAX_PATH_LEN] = "", path[PETSC_MAX_PATH_LEN];
  size_t     len = strlen(out);

  PetscFunctionBeginUser;
  PetscCall(HavocRenderTimes(p, &n, &times));
  HavocCheckUser(n > 0, PETSC_COMM_SELF, "%s records no times to animate (/tissue/times of the tissue model, or /fields/t snapshots of the pulsatile phase with -output_field_dt)", p->h5path);
  if (nframes <= 0) nframes = n;
  if (len > 4 && (!strcasecmp(out + len - 4, ".png") || !strcasecmp(out + len - 4, ".svg"))) {
    PetscCall(PetscSNPrintf(prefix, sizeof(prefix), "%.*s_", (int)(len - 4), out));
    PetscCall(PetscStrncpy(ext, out + len - 4, sizeof(ext)));
  } else {
    struct stat st;
    if (mkdir(out, 0777) && errno != EEXIST) SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot create the directory '%s' for the frames: %s", out, strerror(errno));
    HavocCheckUser(!stat(out, &st) && S_ISDIR(st.st_mode), PETSC_COMM_SELF, "-o %s: expected a directory for the frames (or a name ending in .png or .svg to number)", out);
    PetscCall(PetscSNPrintf(prefix, sizeof(prefix), "%s/frame_", out));
  }
  for (PetscInt k = 0; k < nframes; k++) {
    PetscInt i = nframes == 1 ? n - 1 : (PetscInt)PetscFloorReal((PetscReal)k * (n - 1) / (nframes - 1) + 0.5);
    o->time    = times[i];
    PetscCall(PetscSNPrintf(o->label, sizeof(o->label), "frame %" PetscInt_FMT " of %" PetscInt_FMT, k + 1, nframes));
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s%04d%s", prefix, (int)(k + 1), ext));
    if (!strcmp(kind, "zones")) PetscCall(HavocRenderZones(p, o, path));
    else PetscCall(HavocRenderTree(p, o, path));
    if (!k) PetscCall(PetscStrncpy(first, path, sizeof(first)));
  }
  PetscCall(PetscPrintf(PETSC_COMM_SELF, "havoc: render: %" PetscInt_FMT " frames of the %s (%s ... %s)\n", nframes, !strcmp(kind, "zones") ? "zone map" : "tree", first, path));
  PetscCall(PetscFree(times));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCmdRender(MPI_Comm comm, const HavocArgs *args)
{
  const char        *what = HavocArgsFlag(args, "--what"), *color = HavocArgsFlag(args, "--color"), *tm = HavocArgsFlag(args, "--time");
  const char        *vessels = HavocArgsFlag(args, "--vessels"), *size = HavocArgsFlag(args, "--size"), *frames = HavocArgsFlag(args, "--frames");
  const char        *out = HavocArgsFlag(args, "-o"), *dir;
  char               outbuf[PETSC_MAX_PATH_LEN];
  PetscInt           nframes = 0;
  PetscBool          known   = PETSC_FALSE, svg;
  HavocRenderOptions o;
  HavocPost          p;
  PetscMPIInt        rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  HavocCheckUser(args->npos == 1, comm, "usage: havoc render DIR [--what tree|zones|flow|areas|ha|enzyme|frames] [--color flow_fraction|pressure|velocity] [--time T] [--vessels A,B] [--size WxH] [--frames N] [-o FILE.png|FILE.svg|OUTDIR]");
  dir = args->pos[0];
  PetscCall(HavocRenderOptionsDefault(&o));
  o.height = 700;
  if (!what) what = frames ? "frames" : "tree";
  for (int i = 0; whats[i]; i++)
    if (!strcmp(whats[i], what)) known = PETSC_TRUE;
  HavocCheckUser(known, comm, "--what %s: expected tree, zones, flow, areas, ha, enzyme or frames", what);
  if (color) {
    HavocCheckUser(!strcmp(color, "flow_fraction") || !strcmp(color, "pressure") || !strcmp(color, "velocity"), comm, "--color %s: expected flow_fraction, pressure or velocity", color);
    PetscCall(PetscStrncpy(o.color, color, sizeof(o.color)));
  }
  if (tm && strcmp(tm, "last")) {
    char   err[256] = "";
    double t        = -1;
    HavocCheckUser(!HavocQuantityParse(tm, "s", "s", &t, err, sizeof(err)), comm, "--time %s: expected a time such as 24h, 90min or 30s, or 'last': %s", tm, err);
    HavocCheckUser(t >= 0, comm, "--time %s: expected a time at or after 0 (24h, 90min, 30s) or 'last'", tm);
    o.time = t;
  }
  if (vessels) PetscCall(PetscStrncpy(o.vessels, vessels, sizeof(o.vessels)));
  if (size) {
    int  w = 0, h = 0, used = -1;
    char c;
    HavocCheckUser(sscanf(size, "%dx%d%n%c", &w, &h, &used, &c) == 2 && used == (int)strlen(size) && w >= 200 && h >= 150 && w <= 8000 && h <= 8000, comm, "--size %s: expected WIDTHxHEIGHT in pixels, e.g. 900x700 (width 200 to 8000, height 150 to 8000)", size);
    o.width  = w;
    o.height = h;
  }
  if (frames) {
    char *end;
    long  n = strtol(frames, &end, 10);
    HavocCheckUser(end != frames && !*end && n >= 1 && n <= 10000, comm, "--frames %s: expected a number of frames from 1 to 10000", frames);
    HavocCheckUser(!strcmp(what, "frames") || !strcmp(what, "tree") || !strcmp(what, "zones"), comm, "--frames: only with --what frames, tree or zones (not %s)", what);
    nframes = (PetscInt)n;
  }
  if (!out) {
    if (!strcmp(what, "frames") || frames) PetscCall(PetscSNPrintf(outbuf, sizeof(outbuf), "%s/frames", dir));
    else PetscCall(PetscSNPrintf(outbuf, sizeof(outbuf), "%s/%s.png", dir, what));
    out = outbuf;
  } else if (strcmp(what, "frames") && !frames) PetscCall(HavocRenderFormat(out, &svg));
  PetscCall(HavocOptionsCheckUnused(comm));
  if (rank) PetscFunctionReturn(0);

  PetscCall(HavocPostOpen(dir, "both", &p));
  if (!strcmp(what, "frames") || frames) {
    const char *kind = strcmp(what, "frames") ? what : HavocPostHas(&p, "/tissue/zone") ? "zones"
                                                                                        : "tree";
    PetscCall(RenderFrames(&p, &o, kind, nframes, out));
  } else {
    if (!strcmp(what, "tree")) PetscCall(HavocRenderTree(&p, &o, out));
    else if (!strcmp(what, "zones")) PetscCall(HavocRenderZones(&p, &o, out));
    else PetscCall(HavocRenderPlot(&p, what, &o, out));
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "havoc: render: %s of %s in %s (%d x %d)\n", what, dir, out, (int)o.width, (int)o.height));
  }
  PetscCall(HavocPostClose(&p));
  PetscFunctionReturn(0);
}
