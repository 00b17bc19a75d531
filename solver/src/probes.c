/* HemoProbes: sampling of the solver at fixed times and fractions, periodic-state detection. */
#include "probes.h"
#include "options.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PROBE_FLUSH 1024 /* samples buffered before a collective write */

struct _p_HemoProbes {
  Hemo        hemo;
  HavocResult result;
  PetscInt    nfrac;
  PetscReal   frac[HAVOC_MAX_FRACTIONS];
  PetscReal   dt_sample;      /* requested spacing [s] */
  PetscReal   dts;            /* actual spacing: a whole number of samples per period */
  PetscInt    next;           /* index of the next sample to emit */
  PetscInt    nlocal, nprobe; /* local vessels, local probes (nlocal * nfrac) */
  PetscInt   *vessel;         /* mesh index of each local vessel */
  /* values (p, q, A) of every probe at the last three steps (interior) or half steps (ends) */
  PetscReal *lvl[3], tl[3], th[2]; /* levels rotate through lvl_mem */
  PetscReal *lvl_mem;
  PetscBool *half; /* per probe: lives at the half step */
  /* emitted samples not yet written: t[n], values [n][nprobe] */
  PetscInt   nbuf, capbuf;
  PetscReal *tbuf, *pbuf, *qbuf, *abuf;
  /* periodic state */
  PetscInt   spc;    /* samples per cycle, 0 if not periodic */
  PetscReal *cyc[2]; /* pressure of the current and previous cycle [spc][nprobe], in cyc_mem */
  PetscReal *cyc_mem;
  PetscInt   cycles;
  PetscReal  periodic_tol, change;
  PetscInt   min_cycles;
  PetscBool  reached;
  PetscReal *acc;   /* [nprobe][PROBE_NSTAT] of the cycle in progress */
  PetscReal *stats; /* the same for the last complete cycle */
  PetscReal *run;   /* running stats over all samples (used before a cycle completes) */
  PetscInt   nrun;
};

PetscErrorCode HemoProbesCreate(Hemo hemo, HemoProbes *probes)
{
  HemoProbes pr;

  PetscFunctionBeginUser;
  PetscCall(PetscNew(&pr));
  pr->hemo         = hemo;
  pr->nfrac        = 3;
  pr->frac[0]      = 0;
  pr->frac[1]      = 0.5;
  pr->frac[2]      = 1;
  pr->dt_sample    = 1e-3;
  pr->periodic_tol = 1;
  pr->change       = PETSC_INFINITY; /* no cycle compared yet: reported as null */
  pr->min_cycles   = 3;
  *probes          = pr;
  PetscFunctionReturn(0);
}

PetscErrorCode HemoProbesSetFromOptions(HemoProbes pr)
{
  PetscFunctionBeginUser;
  PetscOptionsBegin(pr->hemo->comm, "output_", "Probes: time series at fractions of every vessel", NULL);
  PetscCall(HavocOptionsQuantity("-probe_dt", "time between probe samples (rounded to a whole number per inlet period)", "s", pr->dt_sample, &pr->dt_sample, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  {
    char      text[512] = "", *tok, *save = NULL;
    PetscBool set;
    for (PetscInt i = 0; i < pr->nfrac; i++) {
      char num[32];
      PetscCall(PetscSNPrintf(num, sizeof(num), "%s%.6g", i ? "," : "", (double)pr->frac[i]));
      PetscCall(HavocStrlcat(text, num, sizeof(text)));
    }
    PetscCall(PetscOptionsString("-probe_fractions", "fractions of each vessel's length to sample, from its x = 0 end, ascending, comma-separated (at most 16) [1]", NULL, text, text, sizeof(text), &set));
    if (set) {
      pr->nfrac = 0;
      for (tok = strtok_r(text, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char     *end;
        PetscReal f = strtod(tok, &end);
        HavocCheckUser(end != tok && !*end, pr->hemo->comm, "option -output_probe_fractions: '%s' is not a number", tok);
        HavocCheckUser(pr->nfrac < HAVOC_MAX_FRACTIONS, pr->hemo->comm, "option -output_probe_fractions: at most %d fractions", HAVOC_MAX_FRACTIONS);
        HavocCheckUser(f >= 0 && f <= 1 && (pr->nfrac == 0 || f > pr->frac[pr->nfrac - 1]), pr->hemo->comm, "option -output_probe_fractions: %.6g is not in [0, 1] or not ascending", (double)f);
        pr->frac[pr->nfrac++] = f;
      }
      HavocCheckUser(pr->nfrac > 0, pr->hemo->comm, "option -output_probe_fractions: give at least one fraction in [0, 1]");
    }
  }
  PetscOptionsEnd();
  PetscOptionsBegin(pr->hemo->comm, "hemo_", "Periodic state", NULL);
  PetscCall(HavocOptionsQuantity("-periodic_tol", "the periodic state is reached when no probe's pressure changes by more than this RMS from one cycle to the next", "Pa", pr->periodic_tol, &pr->periodic_tol, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsIntRange("-min_cycles", "fewest cycles before the periodic state may stop the run", pr->min_cycles, &pr->min_cycles, NULL, 1, 100000));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

/* Current values of every local probe into v[nprobe][3]. */
static void ProbeValues(HemoProbes pr, PetscReal *v)
{
  for (PetscInt i = 0; i < pr->nlocal; i++)
    for (PetscInt f = 0; f < pr->nfrac; f++) {
      const PetscInt k = i * pr->nfrac + f;
      PetscBool      half;
      HemoVesselSample(pr->hemo, i, pr->frac[f], &v[3 * k], &v[3 * k + 1], &v[3 * k + 2], &half);
      pr->half[k] = half;
    }
}

static PetscErrorCode Flush(HemoProbes pr)
{
  PetscFunctionBeginUser;
  if (!pr->result || !pr->nbuf) PetscFunctionReturn(0);
  PetscCall(HavocResultProbesAppend(pr->result, pr->nbuf, pr->tbuf, pr->nlocal, pr->vessel, pr->pbuf, pr->qbuf, pr->abuf));
  pr->nbuf = 0;
  PetscFunctionReturn(0);
}

static PetscErrorCode Reserve(HemoProbes pr)
{
  PetscFunctionBeginUser;
  if (pr->nbuf < pr->capbuf) PetscFunctionReturn(0);
  if (pr->result) PetscCall(Flush(pr));
  else {
    const PetscInt cap = 2 * pr->capbuf, m = pr->nprobe;
    PetscReal     *t, *p, *q, *a;
    PetscCall(PetscMalloc4(cap, &t, cap * m, &p, cap * m, &q, cap * m, &a));
    PetscCall(PetscArraycpy(t, pr->tbuf, pr->nbuf));
    PetscCall(PetscArraycpy(p, pr->pbuf, pr->nbuf * m));
    PetscCall(PetscArraycpy(q, pr->qbuf, pr->nbuf * m));
    PetscCall(PetscArraycpy(a, pr->abuf, pr->nbuf * m));
    PetscCall(PetscFree4(pr->tbuf, pr->pbuf, pr->qbuf, pr->abuf));
    pr->tbuf   = t;
    pr->pbuf   = p;
    pr->qbuf   = q;
    pr->abuf   = a;
    pr->capbuf = cap;
  }
  PetscFunctionReturn(0);
}

static inline PetscReal Lerp(PetscReal t0, PetscReal v0, PetscReal t1, PetscReal v1, PetscReal t)
{
  return t1 > t0 ? v0 + (v1 - v0) * (t - t0) / (t1 - t0) : v1;
}

static void StatsAdd(PetscReal *s, PetscReal p, PetscReal q, PetscReal a, PetscBool first)
{
  if (first) {
    s[PROBE_MIN_P] = s[PROBE_MAX_P] = p;
    s[PROBE_MIN_Q] = s[PROBE_MAX_Q] = q;
    s[PROBE_MIN_U] = s[PROBE_MAX_U] = q / a;
    s[PROBE_MEAN_P] = s[PROBE_MEAN_Q] = s[PROBE_MEAN_U] = 0;
  }
  s[PROBE_MEAN_P] += p;
  s[PROBE_MEAN_Q] += q;
  s[PROBE_MEAN_U] += q / a;
  s[PROBE_MIN_P] = PetscMin(s[PROBE_MIN_P], p);
  s[PROBE_MAX_P] = PetscMax(s[PROBE_MAX_P], p);
  s[PROBE_MIN_Q] = PetscMin(s[PROBE_MIN_Q], q);
  s[PROBE_MAX_Q] = PetscMax(s[PROBE_MAX_Q], q);
  s[PROBE_MIN_U] = PetscMin(s[PROBE_MIN_U], q / a);
  s[PROBE_MAX_U] = PetscMax(s[PROBE_MAX_U], q / a);
}

/* End of cycle: the change since the previous cycle (collective) and the statistics of this one. */
static PetscErrorCode CycleComplete(HemoProbes pr)
{
  const PetscInt m = pr->nprobe, spc = pr->spc;
  PetscReal      change = 0, *tmp;

  PetscFunctionBeginUser;
  for (PetscInt k = 0; k < m; k++) {
    PetscReal ss = 0;
    for (PetscInt j = 0; j < spc; j++) {
      const PetscReal d = pr->cyc[0][j * m + k] - pr->cyc[1][j * m + k];
      ss += d * d;
    }
    change = PetscMax(change, PetscSqrtReal(ss / spc));
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &change, 1, MPIU_REAL, MPIU_MAX, pr->hemo->comm));
  pr->cycles++;
  pr->change = pr->cycles > 1 ? change : PETSC_INFINITY;
  if (pr->cycles >= PetscMax(pr->min_cycles, 2) && pr->change <= pr->periodic_tol) {
    pr->reached = PETSC_TRUE;
    if (pr->hemo->t_end == 0) pr->hemo->stop = PETSC_TRUE;
  }
  tmp        = pr->cyc[1];
  pr->cyc[1] = pr->cyc[0];
  pr->cyc[0] = tmp;
  PetscFunctionReturn(0);
}

/* Emits every sample up to time t_upto. */
static PetscErrorCode Emit(HemoProbes pr, PetscReal t_upto)
{
  const PetscInt m = pr->nprobe;

  PetscFunctionBeginUser;
  while (pr->next * pr->dts <= t_upto * (1 + 1e-12)) {
    const PetscReal ts = pr->next * pr->dts;
    PetscInt        slot;
    PetscCheck(!PetscIsNanReal(pr->th[0]) && !PetscIsNanReal(pr->tl[ts <= pr->tl[1] ? 0 : 1]), PETSC_COMM_SELF, PETSC_ERR_PLIB, "probe sample at t = %.6g s falls between skipped steps", (double)ts);
    PetscCall(Reserve(pr));
    slot           = pr->nbuf++;
    pr->tbuf[slot] = ts;
    for (PetscInt k = 0; k < m; k++) {
      PetscReal v[3];
      for (PetscInt c = 0; c < 3; c++) {
        if (pr->half[k]) v[c] = Lerp(pr->th[0], pr->lvl[1][3 * k + c], pr->th[1], pr->lvl[2][3 * k + c], ts);
        else if (ts <= pr->tl[1]) v[c] = Lerp(pr->tl[0], pr->lvl[0][3 * k + c], pr->tl[1], pr->lvl[1][3 * k + c], ts);
        else v[c] = Lerp(pr->tl[1], pr->lvl[1][3 * k + c], pr->tl[2], pr->lvl[2][3 * k + c], ts);
      }
      pr->pbuf[slot * m + k] = v[0];
      pr->qbuf[slot * m + k] = v[1];
      pr->abuf[slot * m + k] = v[2];
      StatsAdd(&pr->run[k * PROBE_NSTAT], v[0], v[1], v[2], (PetscBool)(pr->nrun == 0));
      if (pr->spc) {
        const PetscInt j      = pr->next % pr->spc;
        pr->cyc[0][j * m + k] = v[0];
        StatsAdd(&pr->acc[k * PROBE_NSTAT], v[0], v[1], v[2], (PetscBool)(j == 0));
        if (j == pr->spc - 1) {
          PetscReal *a = &pr->acc[k * PROBE_NSTAT];
          a[PROBE_MEAN_P] /= pr->spc;
          a[PROBE_MEAN_Q] /= pr->spc;
          a[PROBE_MEAN_U] /= pr->spc;
          PetscCall(PetscArraycpy(&pr->stats[k * PROBE_NSTAT], a, PROBE_NSTAT));
        }
      }
    }
    pr->nrun++;
    if (pr->spc && pr->next % pr->spc == pr->spc - 1) PetscCall(CycleComplete(pr));
    pr->next++;
  }
  PetscFunctionReturn(0);
}

/* Monitor: after every step, shift the levels and emit what can be interpolated. The interior values are
   at t, the end values at t - dt/2, so samples up to t - dt/2 are complete. */
static PetscErrorCode Monitor(Hemo h, void *ctx)
{
  HemoProbes pr = (HemoProbes)ctx;
  PetscReal *v  = pr->lvl[0];
  /* Samples are usually many steps apart: the probes are evaluated only at the few steps around the next
     sample (a level that was skipped carries a NaN time and must never be interpolated). */
  const PetscBool needed = (PetscBool)(pr->next * pr->dts <= h->t + 3 * h->dt_next);

  PetscFunctionBeginUser;
  pr->lvl[0] = pr->lvl[1];
  pr->lvl[1] = pr->lvl[2];
  pr->lvl[2] = v;
  if (needed) ProbeValues(pr, pr->lvl[2]);
  pr->tl[0] = pr->tl[1];
  pr->tl[1] = pr->tl[2];
  pr->tl[2] = needed ? h->t : NAN;
  pr->th[0] = pr->th[1];
  pr->th[1] = needed ? h->t - 0.5 * h->dt : NAN;
  PetscCall(Emit(pr, pr->th[1]));
  PetscFunctionReturn(0);
}

PetscErrorCode HemoProbesSetUp(HemoProbes pr, HavocResult result)
{
  Hemo     h = pr->hemo;
  PetscInt n;

  PetscFunctionBeginUser;
  pr->result = result;
  pr->nlocal = h->net->nvessels;
  pr->nprobe = pr->nlocal * pr->nfrac;
  n          = 3 * pr->nprobe;
  PetscCall(PetscMalloc1(pr->nlocal, &pr->vessel));
  for (PetscInt i = 0; i < pr->nlocal; i++)
    pr->vessel[i] = h->net->vessels[i].vessel;
  PetscCall(PetscMalloc1(3 * n, &pr->lvl_mem));
  PetscCall(PetscMalloc1(pr->nprobe, &pr->half));
  for (int l = 0; l < 3; l++)
    pr->lvl[l] = pr->lvl_mem + l * n;
  PetscCall(PetscCalloc3(pr->nprobe * PROBE_NSTAT, &pr->acc, pr->nprobe * PROBE_NSTAT, &pr->stats, pr->nprobe * PROBE_NSTAT, &pr->run));
  ProbeValues(pr, pr->lvl[2]);
  PetscCall(PetscArraycpy(pr->lvl[1], pr->lvl[2], n));
  PetscCall(PetscArraycpy(pr->lvl[0], pr->lvl[2], n));
  pr->tl[0] = pr->tl[1] = pr->tl[2] = h->t;
  pr->th[0] = pr->th[1] = h->t;
  pr->dts               = pr->dt_sample;
  if (h->inlet->period > 0) {
    pr->spc = PetscMax(1, (PetscInt)PetscFloorReal(h->inlet->period / pr->dt_sample + 0.5));
    pr->dts = h->inlet->period / pr->spc;
    PetscCall(PetscCalloc1(2 * pr->spc * pr->nprobe, &pr->cyc_mem));
    pr->cyc[0] = pr->cyc_mem;
    pr->cyc[1] = pr->cyc_mem + pr->spc * pr->nprobe;
  }
  pr->next = (PetscInt)PetscCeilReal(h->t / pr->dts - 1e-9);
  if (result) {
    PetscCall(HavocResultProbesCreate(result, h->mesh->nvessels, pr->nfrac, pr->frac, h->inlet->period));
    pr->capbuf = PROBE_FLUSH;
  } else pr->capbuf = 4096;
  PetscCall(PetscMalloc4(pr->capbuf, &pr->tbuf, pr->capbuf * pr->nprobe, &pr->pbuf, pr->capbuf * pr->nprobe, &pr->qbuf, pr->capbuf * pr->nprobe, &pr->abuf));
  PetscCall(HemoMonitorAdd(h, Monitor, pr));
  PetscFunctionReturn(0);
}

PetscErrorCode HemoProbesFinish(HemoProbes pr)
{
  PetscFunctionBeginUser;
  PetscCall(Emit(pr, pr->hemo->t));
  PetscCall(Flush(pr));
  PetscFunctionReturn(0);
}

PetscErrorCode HemoProbesDestroy(HemoProbes *probes)
{
  HemoProbes pr = *probes;

  PetscFunctionBeginUser;
  if (!pr) PetscFunctionReturn(0);
  PetscCall(PetscFree(pr->vessel));
  PetscCall(PetscFree(pr->lvl_mem));
  PetscCall(PetscFree(pr->half));
  PetscCall(PetscFree3(pr->acc, pr->stats, pr->run));
  PetscCall(PetscFree4(pr->tbuf, pr->pbuf, pr->qbuf, pr->abuf));
  PetscCall(PetscFree(pr->cyc_mem));
  PetscCall(PetscFree(*probes));
  PetscFunctionReturn(0);
}

PetscErrorCode HemoProbesGetFractions(HemoProbes pr, PetscInt *nfrac, const PetscReal **frac)
{
  PetscFunctionBeginUser;
  *nfrac = pr->nfrac;
  *frac  = pr->frac;
  PetscFunctionReturn(0);
}

PetscErrorCode HemoProbesGetPeriodic(HemoProbes pr, PetscInt *cycles, PetscBool *reached, PetscReal *change)
{
  PetscFunctionBeginUser;
  if (cycles) *cycles = pr->cycles;
  if (reached) *reached = pr->reached;
  if (change) *change = pr->change;
  PetscFunctionReturn(0);
}

PetscErrorCode HemoProbesGetStats(HemoProbes pr, PetscReal **stats)
{
  const PetscInt nv = pr->hemo->mesh->nvessels, per = pr->nfrac * PROBE_NSTAT;
  PetscReal     *all;
  PetscMPIInt    rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(pr->hemo->comm, &rank));
  PetscCall(PetscCalloc1(nv * per, &all));
  for (PetscInt i = 0; i < pr->nlocal; i++)
    for (PetscInt f = 0; f < pr->nfrac; f++) {
      const PetscInt k = i * pr->nfrac + f;
      PetscReal     *d = &all[(pr->vessel[i] * pr->nfrac + f) * PROBE_NSTAT];
      if (pr->cycles) PetscCall(PetscArraycpy(d, &pr->stats[k * PROBE_NSTAT], PROBE_NSTAT));
      else {
        PetscCall(PetscArraycpy(d, &pr->run[k * PROBE_NSTAT], PROBE_NSTAT));
        d[PROBE_MEAN_P] /= PetscMax(pr->nrun, 1);
        d[PROBE_MEAN_Q] /= PetscMax(pr->nrun, 1);
        d[PROBE_MEAN_U] /= PetscMax(pr->nrun, 1);
      }
    }
  /* every vessel lives on exactly one rank: the sum gathers without mixing */
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, all, (PetscMPIInt)(nv * per), MPIU_REAL, MPIU_SUM, pr->hemo->comm));
  if (rank) PetscCall(PetscFree(all));
  *stats = all;
  PetscFunctionReturn(0);
}

PetscErrorCode HemoProbesGetSeries(HemoProbes pr, PetscInt vessel, PetscInt f, PetscInt *n, const PetscReal **t, PetscReal **p, PetscReal **q, PetscReal **a)
{
  PetscFunctionBeginUser;
  PetscCheck(!pr->result, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "probe series are kept in memory only without a result file");
  PetscCheck(f >= 0 && f < pr->nfrac, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "no probe fraction %" PetscInt_FMT " (there are %" PetscInt_FMT ")", f, pr->nfrac);
  *n = 0;
  for (PetscInt i = 0; i < pr->nlocal; i++) {
    const PetscInt k = i * pr->nfrac + f;
    if (pr->vessel[i] != vessel) continue;
    *n = pr->nbuf;
    *t = pr->tbuf;
    PetscCall(PetscMalloc3(pr->nbuf, p, pr->nbuf, q, pr->nbuf, a));
    for (PetscInt j = 0; j < pr->nbuf; j++) {
      (*p)[j] = pr->pbuf[j * pr->nprobe + k];
      (*q)[j] = pr->qbuf[j * pr->nprobe + k];
      (*a)[j] = pr->abuf[j * pr->nprobe + k];
    }
  }
  PetscFunctionReturn(0);
}

/* The scalars of the sampling state, and where the rotating levels and cycles point. */
typedef struct {
  PetscInt  next, nbuf, cycles, nrun, lvl[3], cyc[2];
  PetscReal tl[3], th[2], change;
  PetscBool reached;
} ProbeScalars;

/* Every array of the state, in the order of the records (after the scalars: nbuf), and bytes of each. */
#define PROBE_NRECORDS 10
static const char *const probe_records[PROBE_NRECORDS] = {"probes.levels", "probes.half", "probes.tbuf", "probes.pbuf", "probes.qbuf", "probes.abuf", "probes.cycles", "probes.acc", "probes.stats", "probes.run"};

static void ProbeArrays(HemoProbes pr, void *arrays[], size_t bytes[])
{
  const size_t n = 3 * (size_t)pr->nprobe, m = (size_t)pr->nprobe, nb = (size_t)pr->nbuf;
  PetscInt     k = 0;

  arrays[k] = pr->lvl_mem, bytes[k++] = 3 * n * sizeof(PetscReal);
  arrays[k] = pr->half, bytes[k++] = m * sizeof(PetscBool);
  arrays[k] = pr->tbuf, bytes[k++] = nb * sizeof(PetscReal);
  arrays[k] = pr->pbuf, bytes[k++] = nb * m * sizeof(PetscReal);
  arrays[k] = pr->qbuf, bytes[k++] = nb * m * sizeof(PetscReal);
  arrays[k] = pr->abuf, bytes[k++] = nb * m * sizeof(PetscReal);
  arrays[k] = pr->cyc_mem, bytes[k++] = 2 * (size_t)pr->spc * m * sizeof(PetscReal);
  arrays[k] = pr->acc, bytes[k++] = m * PROBE_NSTAT * sizeof(PetscReal);
  arrays[k] = pr->stats, bytes[k++] = m * PROBE_NSTAT * sizeof(PetscReal);
  arrays[k] = pr->run, bytes[k++] = m * PROBE_NSTAT * sizeof(PetscReal);
}

PetscErrorCode HemoProbesCheckpointWrite(HemoProbes pr, HavocCheckpoint ck)
{
  ProbeScalars   s;
  const PetscInt n = 3 * pr->nprobe;
  void          *arrays[PROBE_NRECORDS];
  size_t         bytes[PROBE_NRECORDS];

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(&s, sizeof(s)));
  s.next = pr->next, s.nbuf = pr->nbuf, s.cycles = pr->cycles, s.nrun = pr->nrun, s.change = pr->change, s.reached = pr->reached;
  for (int l = 0; l < 3; l++) {
    s.lvl[l] = (PetscInt)((pr->lvl[l] - pr->lvl_mem) / PetscMax(n, 1));
    s.tl[l]  = pr->tl[l];
  }
  for (int l = 0; l < 2; l++) {
    s.th[l]  = pr->th[l];
    s.cyc[l] = pr->spc ? (PetscInt)(pr->cyc[l] - pr->cyc_mem) : 0;
  }
  PetscCall(HavocCheckpointWrite(ck, "probes.scalars", &s, sizeof(s)));
  ProbeArrays(pr, arrays, bytes);
  for (PetscInt k = 0; k < PROBE_NRECORDS; k++)
    PetscCall(HavocCheckpointWrite(ck, probe_records[k], arrays[k], bytes[k]));
  PetscFunctionReturn(0);
}

PetscErrorCode HemoProbesCheckpointRead(HemoProbes pr, HavocCheckpoint ck)
{
  ProbeScalars   s;
  const PetscInt n = 3 * pr->nprobe, m = pr->nprobe;
  void          *arrays[PROBE_NRECORDS];
  size_t         bytes[PROBE_NRECORDS];

  PetscFunctionBeginUser;
  PetscCall(HavocCheckpointRead(ck, "probes.scalars", &s, sizeof(s)));
  PetscCheck(s.nbuf <= pr->capbuf, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "checkpoint: %" PetscInt_FMT " buffered probe samples, more than the %" PetscInt_FMT " a run buffers", s.nbuf, pr->capbuf);
  pr->next = s.next, pr->nbuf = s.nbuf, pr->cycles = s.cycles, pr->nrun = s.nrun, pr->change = s.change, pr->reached = s.reached;
  for (int l = 0; l < 3; l++) {
    pr->lvl[l] = pr->lvl_mem + (s.lvl[l] % 3) * n;
    pr->tl[l]  = s.tl[l];
  }
  for (int l = 0; l < 2; l++) {
    pr->th[l] = s.th[l];
    if (pr->spc) pr->cyc[l] = pr->cyc_mem + (s.cyc[l] ? pr->spc * m : 0);
  }
  ProbeArrays(pr, arrays, bytes);
  for (PetscInt k = 0; k < PROBE_NRECORDS; k++)
    PetscCall(HavocCheckpointRead(ck, probe_records[k], arrays[k], bytes[k]));
  PetscFunctionReturn(0);
}
