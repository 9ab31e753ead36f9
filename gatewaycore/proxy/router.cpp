// Router: the compiled route table. Matches (method, path) to a route in O(path segments).
#include "router.h"

#include <algorithm>
#include <cstring>

namespace Gatehouse {

namespace {

enum class SegmentKind { Literal = 1, Param, Pattern, Wildcard };

// 1 for "." and 2 for "..", with any dot written as "%2e" or "%2E" (RFC 3986 6.2.2.2: an encoded
// unreserved character is the character); 0 for any other segment. An upstream that decodes
// before resolving would otherwise climb out of its path prefix with "%2e%2e".
int dotSegment(QByteArrayView seg)
{
    int dots = 0;
    for (qsizetype i = 0; i < seg.size(); ++dots) {
        if (dots == 2)
            return 0;
        if (seg[i] == '.')
            i += 1;
        else if (seg.size() - i >= 3 && seg[i] == '%' && seg[i + 1] == '2' && (seg[i + 2] | 0x20) == 'e')
            i += 3;
        else
            return 0;
    }
    return dots;
}

struct Segment
{
    SegmentKind kind = SegmentKind::Literal;
    QByteArray text;     // Literal: the text; Pattern: prefix
    QByteArray suffix;   // Pattern
    QString param;       // Param / Pattern
};

Result<QList<Segment>> parseTemplate(const QString &tmpl)
{
    if (!tmpl.startsWith(u'/'))
        return Error::config(QStringLiteral("path template '%1' must start with '/'").arg(tmpl));
    const QStringList parts = tmpl.mid(1).split(u'/');
    QList<Segment> segments;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString &part = parts.at(i);
        Segment seg;
        if (part == u"*") {
            if (i != parts.size() - 1)
                return Error::config(QStringLiteral("'*' may only end the path template '%1'").arg(tmpl));
            seg.kind = SegmentKind::Wildcard;
            seg.param = QStringLiteral("*");
        } else if (const qsizetype open = part.indexOf(u'{'); open >= 0) {
            const qsizetype close = part.indexOf(u'}', open);
            if (close < 0)
                return Error::config(QStringLiteral("unclosed '{' in path template '%1'").arg(tmpl));
            seg.param = part.mid(open + 1, close - open - 1);
            if (seg.param.isEmpty())
                return Error::config(QStringLiteral("empty parameter name '{}' in path template '%1'").arg(tmpl));
            const QString suffix = part.mid(close + 1);
            if (suffix.contains(u'{') || suffix.contains(u'}') || part.left(open).contains(u'}'))
                return Error::config(
                    QStringLiteral("path template '%1': only one parameter per segment is supported").arg(tmpl));
            seg.text = part.left(open).toUtf8();
            seg.suffix = suffix.toUtf8();
            seg.kind = seg.text.isEmpty() && seg.suffix.isEmpty() ? SegmentKind::Param : SegmentKind::Pattern;
        } else if (part.contains(u'}')) {
            return Error::config(QStringLiteral("unmatched '}' in path template '%1'").arg(tmpl));
        } else {
            seg.text = part.toUtf8();
        }
        segments.append(seg);
    }
    return segments;
}

bool lessKey(const std::pair<QByteArray, int> &a, QByteArrayView b) { return QByteArrayView(a.first) < b; }

} // namespace

Result<void> Router::add(QByteArrayView method, const QString &pathTemplate, int route,
                         int *duplicateOf)
{
    auto parsed = parseTemplate(pathTemplate);
    if (!parsed)
        return parsed.error();
    if (route < 0)
        return Error::internal(QStringLiteral("negative route index"));

    int node = 0;
    QList<QString> names;
    for (const Segment &seg : *parsed) {
        int next = -1;
        switch (seg.kind) {
        case SegmentKind::Literal: {
            auto &lits = m_nodes[size_t(node)].literals;
            auto it = std::lower_bound(lits.begin(), lits.end(), QByteArrayView(seg.text), lessKey);
            if (it != lits.end() && it->first == seg.text) {
                next = it->second;
            } else {
                next = int(m_nodes.size());
                m_nodes[size_t(node)].literals.insert(it, {seg.text, next});
                m_nodes.emplace_back();
            }
            break;
        }
        case SegmentKind::Pattern: {
            auto &pats = m_nodes[size_t(node)].patterns;
            auto it = std::find_if(pats.begin(), pats.end(), [&](const Pattern &p) {
                return p.prefix == seg.text && p.suffix == seg.suffix;
            });
            if (it != pats.end()) {
                next = it->node;
            } else {
                next = int(m_nodes.size());
                pats.push_back({seg.text, seg.suffix, next});
                std::stable_sort(pats.begin(), pats.end(), [](const Pattern &a, const Pattern &b) {
                    return a.prefix.size() + a.suffix.size() > b.prefix.size() + b.suffix.size();
                });
                m_nodes.emplace_back();
            }
            names.append(seg.param);
            break;
        }
        case SegmentKind::Param:
        case SegmentKind::Wildcard: {
            int &slot = seg.kind == SegmentKind::Param ? m_nodes[size_t(node)].param
                                                       : m_nodes[size_t(node)].wildcard;
            next = slot;
            if (next < 0) {
                next = int(m_nodes.size());
                slot = next;
                m_nodes.emplace_back();   // may move the nodes: `slot` is not used after this
            }
            names.append(seg.param);
            break;
        }
        }
        node = next;
    }

    auto &methods = m_nodes[size_t(node)].methods;
    for (const auto &[m, existing] : methods) {
        if (m == method) {
            if (duplicateOf)
                *duplicateOf = existing;
            return Error::config(QStringLiteral("duplicate route %1 %2 (same as #%3)")
                                     .arg(QString::fromLatin1(method), pathTemplate)
                                     .arg(existing));
        }
    }
    methods.emplace_back(method.toByteArray(), route);
    if (size_t(route) >= m_paramNames.size())
        m_paramNames.resize(size_t(route) + 1);
    m_paramNames[size_t(route)] = names;
    return {};
}

const QList<QString> &Router::parameterNames(int route) const
{
    static const QList<QString> none;
    return route >= 0 && size_t(route) < m_paramNames.size() ? m_paramNames[size_t(route)] : none;
}

QByteArray Router::allowHeader(const Node &node)
{
    QList<QByteArray> names;
    for (const auto &[m, r] : node.methods)
        names.append(m);
    if (names.contains("GET") && !names.contains("HEAD"))
        names.append("HEAD");
    std::sort(names.begin(), names.end());
    return names.join(", ");
}

// Depth-first over the trie; each trie node sits at a fixed segment depth, so a match visits every
// node at most once: O(trie size) in the worst case, O(segments) in practice.
bool Router::matchNode(int nodeIndex, QByteArrayView path, QByteArrayView method, Match &m,
                       int &pathOnlyNode) const
{
    const Node &node = m_nodes[size_t(nodeIndex)];
    auto finish = [&](const Node &leaf, int leafIndex) {
        for (const auto &[mm, r] : leaf.methods) {
            if (mm == method) {
                m.route = r;
                return true;
            }
        }
        if (method == "HEAD") {
            for (const auto &[mm, r] : leaf.methods) {
                if (mm == "GET") {
                    m.route = r;
                    return true;
                }
            }
        }
        if (!leaf.methods.empty() && pathOnlyNode < 0)
            pathOnlyNode = leafIndex;
        return false;
    };

    // `path` is what follows the '/' before the current segment; a null view means "no segment".
    if (path.isNull()) {
        if (finish(node, nodeIndex))
            return true;
        if (node.wildcard < 0)
            return false;
        m.params.append(QByteArrayView("", 0));
        if (finish(m_nodes[size_t(node.wildcard)], node.wildcard))
            return true;
        m.params.removeLast();
        return false;
    }

    const qsizetype slash = path.indexOf('/');
    const QByteArrayView segment = slash < 0 ? path : path.first(slash);
    const QByteArrayView rest = slash < 0 ? QByteArrayView() : path.sliced(slash + 1);
    // sliced() of an empty tail must still be "a segment" (an empty one), not "no segment".
    const QByteArrayView restOrEmpty = slash >= 0 && rest.isNull() ? QByteArrayView("", 0) : rest;

    auto lit = std::lower_bound(node.literals.begin(), node.literals.end(), segment, lessKey);
    if (lit != node.literals.end() && QByteArrayView(lit->first) == segment
        && matchNode(lit->second, restOrEmpty, method, m, pathOnlyNode))
        return true;

    for (const Pattern &p : node.patterns) {
        if (segment.size() > p.prefix.size() + p.suffix.size() && segment.startsWith(p.prefix)
            && segment.endsWith(p.suffix)) {
            m.params.append(segment.sliced(p.prefix.size(), segment.size() - p.prefix.size() - p.suffix.size()));
            if (matchNode(p.node, restOrEmpty, method, m, pathOnlyNode))
                return true;
            m.params.removeLast();
        }
    }

    if (node.param >= 0 && !segment.isEmpty()) {
        m.params.append(segment);
        if (matchNode(node.param, restOrEmpty, method, m, pathOnlyNode))
            return true;
        m.params.removeLast();
    }

    if (node.wildcard >= 0) {
        m.params.append(path);
        if (finish(m_nodes[size_t(node.wildcard)], node.wildcard))
            return true;
        m.params.removeLast();
    }
    return false;
}

Router::Match Router::match(QByteArrayView method, QByteArrayView path) const
{
    Match m;
    if (path.isEmpty() || path.front() != '/')
        return m;
    int pathOnlyNode = -1;
    QByteArrayView first = path.sliced(1);
    if (first.isNull())
        first = QByteArrayView("", 0);
    if (matchNode(0, first, method, m, pathOnlyNode)) {
        m.status = MatchStatus::Matched;
        return m;
    }
    m.params.clear();
    if (pathOnlyNode >= 0) {
        m.status = MatchStatus::MethodNotAllowed;
        m.allow = allowHeader(m_nodes[size_t(pathOnlyNode)]);
    }
    return m;
}

bool Router::isNormalized(QByteArrayView path)
{
    if (path.isEmpty() || path.front() != '/')
        return false;
    // One pass for both "/." and "/%2" (a segment that may be a dot segment): paths are short.
    const char *p = path.data();
    const char *const end = p + path.size();
    while ((p = static_cast<const char *>(std::memchr(p, '/', size_t(end - p))))) {
        if (++p == end)
            break;
        if (*p == '.' || (*p == '%' && end - p > 1 && p[1] == '2'))
            return false;
    }
    return true;
}

bool Router::normalizePath(QByteArrayView path, QByteArray &out)
{
    out.clear();
    if (path.isEmpty() || path.front() != '/')
        return false;
    if (isNormalized(path)) {   // fast path: nothing to remove
        out = path.toByteArray();
        return true;
    }
    QVarLengthArray<QByteArrayView, 32> stack;
    qsizetype pos = 1;
    bool trailingSlash = false;
    while (pos <= path.size()) {
        qsizetype end = path.indexOf('/', pos);
        if (end < 0)
            end = path.size();
        const QByteArrayView seg = path.sliced(pos, end - pos);
        const bool last = end == path.size();
        const int dots = dotSegment(seg);
        if (dots == 1) {
            trailingSlash = last;
        } else if (dots == 2) {
            if (stack.isEmpty())
                return false;
            stack.removeLast();
            trailingSlash = last;
        } else {
            stack.append(seg);
            trailingSlash = false;
        }
        pos = end + 1;
    }
    for (const QByteArrayView &seg : stack) {
        out += '/';
        out += seg;
    }
    if (trailingSlash || out.isEmpty())
        out += '/';
    return true;
}

} // namespace Gatehouse
