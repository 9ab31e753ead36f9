// google.api.http path templates (google/api/http.proto, "Path template syntax"): parsed once when
// the config is compiled, matched against request paths to bind variables to request fields.
#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace Gatehouse {

// One `{field.path=...}` value of a matched path, percent-decoded (a multi-segment variable keeps
// "%2F" as it was, as the syntax requires).
struct PathBinding
{
    QString fieldPath;   // "name", "book.shelf"
    QString value;
};

class HttpPathTemplate
{
public:
    // Template = "/" Segments [ ":" Verb ]; Segment = "*" | "**" | LITERAL | Variable;
    // Variable = "{" FieldPath [ "=" Segments ] "}" (no nesting); "**" only last.
    static Result<HttpPathTemplate> parse(QStringView text);

    // The bindings when `path` (no query) matches, else nothing.
    std::optional<QList<PathBinding>> match(QByteArrayView path) const;
    // Field paths of the template's variables, in order.
    QStringList variables() const;
    const QString &text() const { return m_text; }
    // The template in the router's syntax (router.h): literals, "{pN}" for "*" and single-
    // segment variables, a final "*" for "**"; the verb joined to the last segment. Nothing when
    // the router cannot express it (a verb after "**").
    std::optional<QString> routerPattern() const;

private:
    class Parser;
    enum class Kind { Literal = 1, Any, AnyMany };
    struct Segment
    {
        Kind kind = Kind::Literal;
        QByteArray literal;     // Kind::Literal, percent-decoded form as written
        int variable = -1;      // index into m_variables when the segment belongs to one
    };
    struct Variable
    {
        QString fieldPath;
        int first = 0;          // its segments: [first, first + count)
        int count = 0;
    };
    QString m_text;
    QList<Segment> m_segments;
    QList<Variable> m_variables;
    QByteArray m_verb;          // ":verb" without the colon; empty when none
};

} // namespace Gatehouse
