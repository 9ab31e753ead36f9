// Entry points of the OpenAPI loader below loadOpenApiFile(), for fuzzers, tests and editors.
#pragma once

#include "apimodel.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace Gatehouse {

// Loads an OpenAPI 2.0/3.0/3.1 document from bytes as if it were the file `relativePath` inside
// `projectDir` (relative $refs are read from there; the text itself is never read from disk).
// Returns nullopt only when the text is not an OpenAPI document at all (syntax error, no
// `openapi`/`swagger` field, unsupported version); otherwise returns what was understood, with
// every problem reported to `diagnostics`. Never throws.
std::optional<ApiSpec> loadOpenApiText(const QString &projectDir, const QString &relativePath,
                                       const QByteArray &text, Diagnostics &diagnostics);

} // namespace Gatehouse
