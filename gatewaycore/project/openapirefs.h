// $ref resolution for the OpenAPI loader: local and relative-file refs, chains, cycles (internal).
#pragma once

#include "apimodel.h"
#include "sourcedocument.h"

#include <QHash>
#include <QJsonArray>
#include <QSet>

#include <map>
#include <memory>

namespace Gatehouse::OpenApi {

// A value inside one of the loaded files, with the JSON pointer it was found at. Diagnostics about
// the value point at the file and line it really came from, also when it was reached by $ref.
struct Node
{
    const SourceDocument *doc = nullptr;
    QString pointer;
    QJsonValue value;

    bool isValid() const { return doc != nullptr && !value.isUndefined(); }
    bool has(QStringView key) const { return value.toObject().contains(key); }
    Node operator[](QStringView key) const;       // member, Undefined when absent
    Node operator[](qsizetype index) const;       // list item, Undefined when absent
    QJsonObject object() const { return value.toObject(); }
    QJsonArray array() const { return value.toArray(); }
    QStringList keys() const;                     // object keys in the order they were written
    SourceLocation location() const;              // where the value starts
    SourceLocation keyLocation() const;           // where the key naming it is written
};

// Work allowed for one load, in values visited. YAML aliases share values, so a small file can
// describe billions of them ("billion laughs"); every walk over values spends from this budget,
// and when it runs out the load stops looking further and says so once.
class WorkBudget
{
public:
    WorkBudget(qint64 values, Diagnostics &diagnostics, SourceLocation where)
        : m_remaining(values), m_diags(diagnostics), m_where(std::move(where))
    {}
    bool spend(qint64 values = 1)
    {
        if (m_remaining <= 0)
            return false;
        m_remaining -= values;
        if (m_remaining > 0)
            return true;
        m_diags.error(m_where, QStringLiteral("the document repeats YAML aliases or $refs so often that "
                                              "reading it would never end; it was only partly read"));
        return false;
    }
    bool exhausted() const { return m_remaining <= 0; }

private:
    qint64 m_remaining;
    Diagnostics &m_diags;
    SourceLocation m_where;
};

// The files one load reads: the main document and the ones its $refs reach, each parsed once.
// Files must lie inside the project directory (symlinks included) and be .yaml, .yml or .json.
class Documents
{
public:
    Documents(const QString &projectDir, const QString &mainRelativePath,
              std::shared_ptr<const SourceDocument> main);

    const SourceDocument *main() const { return m_main.get(); }
    QString relativePath(const SourceDocument *doc) const;   // project-relative, "apis/x.yaml"
    // Loads `projectRelative` once. On failure returns nullptr and explains why in *why; syntax
    // errors inside the file are reported in that file by the parser itself.
    const SourceDocument *load(const QString &projectRelative, Diagnostics &diagnostics, QString *why);

private:
    QString m_projectDir;
    QString m_canonicalProjectDir;
    QString m_mainPath;
    std::shared_ptr<const SourceDocument> m_main;
    std::map<QString, std::shared_ptr<const SourceDocument>> m_files;
    QHash<QString, QString> m_failures;   // path -> reason, so one bad file is read once
};

class RefResolver
{
public:
    RefResolver(Documents &documents, Diagnostics &diagnostics, OpenApiVersion version, WorkBudget &budget);

    // The object a {"$ref": ...} names, following chains across files. A value without $ref is
    // returned unchanged. A broken, remote or circular ref is reported once, at its "$ref" key,
    // and gives an invalid Node.
    Node deref(const Node &node);

    // The schema with its $refs inlined, memoised per target so shared definitions cost once.
    // Recursive schemas keep the $ref that closes the cycle, rewritten relative to the main
    // document ("#/components/schemas/Node"), so a validator can follow it against
    // ApiSpec::document.
    QJsonValue inlineSchema(const Node &schema);

    // Reports every $ref of the main document that does not resolve, including the ones the
    // model never visits (unused components, callbacks, webhooks).
    void checkAllRefs();

private:
    struct Target
    {
        const SourceDocument *doc = nullptr;
        QString pointer;
        QJsonValue value;
        QString key() const;
    };
    struct PathLink;   // a lazily joined JSON pointer while walking schemas
    struct Inlined
    {
        QJsonValue value;
        bool changed = false;
    };

    std::optional<Target> resolveOne(const Node &refObject, bool inSchema);
    std::optional<Target> followChain(const Node &refObject, bool inSchema);
    Inlined inlineValue(const SourceDocument *doc, const PathLink &path, const QJsonValue &value,
                        int depth, bool namesMap);
    Inlined inlineRef(const SourceDocument *doc, const PathLink &path, const QJsonObject &object,
                      int depth);
    QString refFromMain(const Target &target) const;
    void sweep(const PathLink &path, const QJsonValue &value, int depth);
    bool reportOnce(const Node &refObject);

    Documents &m_docs;
    Diagnostics &m_diags;
    OpenApiVersion m_version;
    QSet<QString> m_reported;          // $ref places already reported
    QSet<QString> m_reportedCycles;    // loops already reported, by their sorted members
    QHash<QString, QJsonValue> m_schemaMemo;
    QStringList m_schemaStack;
    WorkBudget &m_budget;
};

// "#/components/schemas/Pet" for messages; percent-decoding and ~ escapes left as written.
QString describeRef(const Node &refObject);

} // namespace Gatehouse::OpenApi
