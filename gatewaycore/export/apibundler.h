// An API document for a bundle: self-contained, with every $ref into another file inlined.
#pragma once

#include "base/diagnostic.h"
#include "base/result.h"

#include <QByteArray>
#include <QString>

namespace Gatehouse {

// The bundle's copy of the OpenAPI file `relativePath` of a project: the bytes as written when
// the document only refers to itself; otherwise the document as JSON (valid YAML too, so the file
// keeps its name) in the order it was written, each value reached through a $ref into another file
// inlined, and $refs from those files back into the main document rewritten as local ones.
// A loop of $refs across files cannot be inlined: an error at its $ref, and no result.
Result<QByteArray> bundleApiDocument(const QString &projectDir, const QString &relativePath,
                                     Diagnostics &diagnostics);

} // namespace Gatehouse
