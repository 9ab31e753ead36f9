// gatehoused check DIR: load and validate a project, print diagnostics and a summary.
#include "cli.h"

namespace Gatehouse::Cli {

int runCheck(Context &ctx)
{
    ctx.err << "gatehoused: check: not built yet\n";
    return kExitUsage;
}

} // namespace Gatehouse::Cli
