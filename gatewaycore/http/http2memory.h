// The memory nghttp2 sessions allocate from: a per-thread cache of freed small blocks, so that
// the dozen blocks a proxied call takes and gives back (streams, frames, header copies, HPACK
// entries) do not each go through malloc and free.
#pragma once

#include <QtGlobal>

#include <nghttp2/nghttp2.h>   // nghttp2_mem is a typedef of an unnamed struct: no forward declaration

namespace Gatehouse {

// Why: a gateway's sessions allocate in bursts (every stream of a loop turn at once) and free in
// bursts, which overflows glibc's small per-thread cache (7 blocks per size): most of those
// calls then took malloc's slow paths, about a tenth of an HTTP/2 call's instructions.
//
// The allocator of the calling thread, for nghttp2_session_*_new3(). Blocks up to kMaxCachedBytes
// are rounded up to a multiple of 64 bytes and, when freed, kept in that size's list for the
// next allocation on the same thread (at most kMaxCachedTotalBytes per thread); larger blocks,
// and frees past the cap, go to malloc. A block freed on another thread than the one that
// allocated it joins that thread's lists: sessions may be destroyed anywhere. Never null.
nghttp2_mem *http2Memory();

struct Http2MemoryStats
{
    qint64 cachedBytes = 0;   // kept in this thread's lists now
    qint64 reused = 0;        // allocations served from the lists, on this thread, ever
};
Http2MemoryStats http2MemoryStats();

inline constexpr qsizetype kHttp2MaxCachedBytes = 4096;
inline constexpr qsizetype kHttp2MaxCachedTotalBytes = 1024 * 1024;

} // namespace Gatehouse
