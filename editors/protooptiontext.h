// Rewrites the gateway options of one gRPC service or method inside .proto text: replaces, inserts
// or removes just that field of `option (gatehouse.service|method) = {...};` and leaves the rest of
// the file, its layout and its comments as they were.
#pragma once

#include "base/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Gatehouse {

// What the services table edits; each is one field of options.proto.
enum class ProtoOptionField {
    ServiceSecurity = 1,   // (gatehouse.service).security: enum names, e.g. JWT, OAUTH2
    ServiceTier,           // (gatehouse.service).throttling_tier
    MethodScopes,          // (gatehouse.method).scopes
    MethodTier,            // (gatehouse.method).throttling_tier
};

struct TextReplacement
{
    qsizetype position = 0;   // in UTF-16 code units of the text the replacement was made for
    qsizetype length = 0;
    QString text;
};

// The service ("helloworld.Greeter", or just "Greeter" when the name is unique in the file) and,
// for the method fields, the method name.
struct ProtoOptionTarget
{
    QString service;
    QString method;
};

// The replacements (non-overlapping, in ascending order) that set `field` of `target` to `values`;
// empty `values` removes the field (and the whole option statement once nothing is left in it).
// Security values are scheme kinds ("jwt", "oauth2", "apikey", "basic", "none"), case-insensitive.
// A file that does not import gatehouse/options.proto yet gets the import. MGW's wso2 option for
// the same thing is removed, so the gatehouse option is the only one that says it.
// An error (unknown service, unbalanced braces, an invalid value) leaves the text alone.
Result<QList<TextReplacement>> protoOptionReplacements(const QString &text,
                                                       const ProtoOptionTarget &target,
                                                       ProtoOptionField field,
                                                       const QStringList &values);

// `text` with `replacements` (as returned above) applied.
QString applyReplacements(QString text, const QList<TextReplacement> &replacements);

// The value as written in the text format ("greet:read" / ["a", "b"] / [JWT, OAUTH2]).
QString protoOptionValueText(ProtoOptionField field, const QStringList &values);

} // namespace Gatehouse
