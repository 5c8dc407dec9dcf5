/* ProcessPrng for Wine 8, which lacks it. Rust's standard library on
 * Windows takes its random bytes from ProcessPrng in bcryptprimitives.dll
 * (Windows 10 and later); Debian's Wine 8 does not have that function, so
 * any Rust .exe fails to start under it. Built as a bcryptprimitives.dll
 * placed beside brum.exe (with WINEDLLOVERRIDES=bcryptprimitives=n), it
 * answers from RtlGenRandom in advapi32, which Wine has. Used only to run
 * the Windows build in CI (.ci/windows); never shipped. */
#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    return RtlGenRandom(data, (ULONG)len);
}
