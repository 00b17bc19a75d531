/* Progress line for interactive runs. */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

PetscErrorCode HavocProgressStart(HavocProgress *p, Hemo hemo, PetscBool quiet)
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(p, sizeof(*p)));
  PetscCallMPI(MPI_Comm_rank(hemo->comm, &rank));
  p->on = (PetscBool)(!quiet && !rank && isatty(STDERR_FILENO));
  PetscCall(PetscTime(&p->start));
  p->last  = p->start;
  p->t0    = hemo->t;
  p->step0 = hemo->step;
  PetscCall(HemoGetStopTime(hemo, &p->t_stop));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocProgressMonitor(Hemo hemo, void *ctx)
{
  HavocProgress *p = (HavocProgress *)ctx;
  PetscLogDouble now;

  PetscFunctionBeginUser;
  if (!p->on) PetscFunctionReturn(0);
  PetscCall(PetscTime(&now));
  if (now - p->last < 0.5) PetscFunctionReturn(0);
  p->last = now;
  {
    const double elapsed = now - p->start, done = (hemo->t - p->t0) / (p->t_stop - p->t0);
    const double rate = (hemo->step - p->step0) / elapsed, left = done > 0 ? elapsed * (1 - done) / done : 0;
    p->width = fprintf(stderr, "\rhavoc: t = %.4f s of %.4f s (%3.0f%%)  %.3g steps/s  %s%.0f s left  ", (double)hemo->t, (double)p->t_stop, 100 * done, rate, hemo->t_end > 0 ? "" : "at most ", left);
    fflush(stderr);
  }
  PetscFunctionReturn(0);
}

PetscErrorCode HavocProgressEnd(HavocProgress *p)
{
  PetscFunctionBeginUser;
  if (p->on && p->width > 0) {
    fprintf(stderr, "\r%*s\r", p->width, "");
    fflush(stderr);
  }
  PetscFunctionReturn(0);
}
