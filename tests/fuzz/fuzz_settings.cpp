// libFuzzer target: gatehouse.yaml and MGW policies.yaml bytes through the settings loader. Any input
// must give settings plus diagnostics: no crash, no exception, no hang (merge keys are bounded).
#include "project/mgwpolicies.h"
#include "project/projectsettings.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    Gatehouse::Diagnostics diagnostics;
    // No project folder: file existence checks are skipped, everything else runs.
    const Gatehouse::ProjectSettings settings = Gatehouse::loadProjectSettingsFromBytes(
        bytes, QString(), QStringLiteral("gatehouse.yaml"), diagnostics);
    Gatehouse::importMgwPoliciesFromBytes(bytes, QStringLiteral("policies.yaml"), diagnostics);
    // Whatever the input, the reserved tier survives: defaults are never lost to a bad file.
    if (!settings.throttling.tiers.contains(QStringLiteral("Unlimited")))
        __builtin_trap();
    // Formatting touches every message and location, as gatehoused check does.
    (void)diagnostics.toString();
    return 0;
}
