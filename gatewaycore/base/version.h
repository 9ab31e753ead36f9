// Product name and version, as compiled in.
#pragma once

#include <QString>

namespace Gatehouse {

QString versionString();   // "0.1.0"
QString productName();     // "Gatehouse"

} // namespace Gatehouse
