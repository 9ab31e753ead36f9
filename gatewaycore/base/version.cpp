// Product name and version, as compiled in.
#include "version.h"

namespace Gatehouse {

QString versionString() { return QStringLiteral(GATEHOUSE_VERSION); }
QString productName() { return QStringLiteral("Gatehouse"); }

} // namespace Gatehouse
