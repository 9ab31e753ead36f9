// Router: the compiled route table. Matches (method, path) to a route in O(path segments).
#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QVarLengthArray>

#include <vector>

namespace Gatehouse {

// Templates are OpenAPI path templates over '/'-separated segments. A segment is a literal
// ("pets"), a parameter ("{petId}"), a pattern with literal text around one parameter
// ("{name}.json", "v{major}"), or a final "*" that matches the rest of the path (MGW style).
// Precedence at every segment, deterministically: literal, then patterns (longer literal text
// first), then parameter, then "*". A request whose path matches but whose method does not gets
// MethodNotAllowed with the methods of the most specific matching path (for Allow). HEAD falls
// back to GET. Paths are matched as sent (still percent-encoded); dot segments must be removed
// before matching (see normalizePath).
//
// Thread-safety: build on one thread, then match from any number of threads (const only).
class Router
{
public:
    enum class MatchStatus { Matched = 1, NotFound, MethodNotAllowed };

    struct Match
    {
        MatchStatus status = MatchStatus::NotFound;
        int route = -1;                                  // the index given to add()
        QVarLengthArray<QByteArrayView, 8> params;       // values in template order (raw)
        QByteArray allow;                                // MethodNotAllowed: "GET, POST"
    };

    // Adds a route. Fails on an invalid template, or when the same method and an equivalent
    // template (parameter names ignored) exist already; then *duplicateOf (if given) receives the
    // index of the route that was there first, so callers can point at its source.
    Result<void> add(QByteArrayView method, const QString &pathTemplate, int route,
                     int *duplicateOf = nullptr);

    Match match(QByteArrayView method, QByteArrayView path) const;

    // Parameter names of a route's template, in the order Match::params reports values.
    const QList<QString> &parameterNames(int route) const;
    int routeCount() const { return int(m_paramNames.size()); }

    // RFC 3986 remove_dot_segments on a raw path (no query); "%2e" counts as a dot. Returns false
    // for paths that are not origin-form ("" or not starting with '/'), or that climb above the
    // root.
    static bool normalizePath(QByteArrayView path, QByteArray &out);
    // True when normalizePath() would return `path` unchanged (the common case, checked without
    // copying it).
    static bool isNormalized(QByteArrayView path);

private:
    struct Pattern
    {
        QByteArray prefix;
        QByteArray suffix;
        int node = -1;
    };
    struct Node
    {
        std::vector<std::pair<QByteArray, int>> literals;   // sorted by key
        std::vector<Pattern> patterns;                      // longer literal text first
        int param = -1;
        int wildcard = -1;
        std::vector<std::pair<QByteArray, int>> methods;   // method -> route
    };

    bool matchNode(int node, QByteArrayView rest, QByteArrayView method, Match &m,
                   int &pathOnlyNode) const;
    static QByteArray allowHeader(const Node &node);

    std::vector<Node> m_nodes{Node{}};
    std::vector<QList<QString>> m_paramNames;
};

} // namespace Gatehouse
