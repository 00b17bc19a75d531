/* The waveform registry and the generic part of HavocWaveform. */
#include "waveform.h"
#include "options.h"

#include <string.h>

static PetscFunctionList waveform_list;

PetscErrorCode HavocWaveformRegister(const char name[], HavocWaveformCreateFn create)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFunctionListAdd(&waveform_list, name, create));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocWaveformRegisterAll(void)
{
  PetscFunctionBeginUser;
  PetscCall(HavocWaveformRegister("table", HavocWaveformCreate_Table));
  PetscCall(HavocWaveformRegister("constant", HavocWaveformCreate_Constant));
  PetscCall(HavocWaveformRegister("pulse", HavocWaveformCreate_Pulse));
  PetscCall(HavocWaveformRegister("sine", HavocWaveformCreate_Sine));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocWaveformFinalize(void)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFunctionListDestroy(&waveform_list));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocWaveformCreate(MPI_Comm comm, const char unit[], HavocWaveform *w)
{
  PetscFunctionBeginUser;
  PetscCall(PetscNew(w));
  (*w)->comm = comm;
  PetscCall(PetscStrncpy((*w)->unit, unit, sizeof((*w)->unit)));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocWaveformSetFromOptions_Private(PetscOptionItems *PetscOptionsObject, HavocWaveform w, const char default_type[])
{
  HavocWaveformCreateFn create;
  char                  type[32];
  PetscBool             set;

  PetscFunctionBeginUser;
  PetscCall(PetscStrncpy(type, default_type, sizeof(type)));
  PetscCall(PetscOptionsFList("-type", "inlet waveform", "HavocWaveformSetFromOptions", waveform_list, type, type, sizeof(type), &set));
  PetscCall(PetscFunctionListFind(waveform_list, type, &create));
  HavocCheckUser(create, w->comm, "option -%stype: unknown waveform '%s' (expected table, constant, pulse or sine)", PetscOptionsObject->prefix ? PetscOptionsObject->prefix : "", type);
  if (w->destroy) PetscCall(w->destroy(w));
  w->destroy = NULL;
  PetscCall(PetscStrncpy(w->type, type, sizeof(w->type)));
  PetscCall(create(w, PetscOptionsObject));
  /* -help lists the options of every type, not only of the chosen one */
  if (PetscOptionsObject->printhelp) {
    const char *all[] = {"table", "constant", "pulse", "sine"};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
      HavocWaveform other;
      if (!strcmp(all[i], type)) continue;
      PetscCall(PetscFunctionListFind(waveform_list, all[i], &create));
      PetscCall(HavocWaveformCreate(w->comm, w->unit, &other));
      PetscCall(create(other, PetscOptionsObject));
      PetscCall(HavocWaveformDestroy(&other));
    }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode HavocWaveformDestroy(HavocWaveform *w)
{
  PetscFunctionBeginUser;
  if (!*w) PetscFunctionReturn(0);
  if ((*w)->destroy) PetscCall((*w)->destroy(*w));
  PetscCall(PetscFree(*w));
  PetscFunctionReturn(0);
}
