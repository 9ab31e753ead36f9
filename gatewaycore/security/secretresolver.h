// Resolves a gatehouse.yaml secret (literal, ${env:NAME}, ${file:path}) to its bytes at start.
#pragma once

#include "base/result.h"
#include "project/projectsettings.h"

#include <QByteArray>

namespace Gatehouse {

// File paths are relative to projectDir. A file's trailing newline is dropped (as `echo x > f`
// leaves one). Errors name the reference, never the value.
Result<QByteArray> resolveSecret(const SecretRef &secret, const QString &projectDir);

} // namespace Gatehouse
