// OpenApiOutline: a QStandardItemModel rebuilt from each live parse, drawn with method badges.
#include "openapioutline.h"

#include "codeeditor.h"
#include "openapiliveparser.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QStyledItemDelegate>
#include <QTextBlock>
#include <QTreeView>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {

// The colours Swagger UI made familiar, so a method reads at a glance.
QColor methodColor(const QString &method)
{
    if (method == u"GET")
        return QColor(0x1f, 0x6f, 0xd1);
    if (method == u"POST")
        return QColor(0x2e, 0x8b, 0x3e);
    if (method == u"PUT")
        return QColor(0xc2, 0x7a, 0x00);
    if (method == u"PATCH")
        return QColor(0x0e, 0x8a, 0x86);
    if (method == u"DELETE")
        return QColor(0xc6, 0x28, 0x28);
    return QColor(0x6b, 0x6b, 0x7b);
}

class OperationDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        const QWidget *widget = opt.widget;
        QStyle *style = widget ? widget->style() : nullptr;
        if (style)
            style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        const QString method = index.data(OpenApiOutline::MethodRole).toString();
        const QString path = index.data(OpenApiOutline::PathRole).toString();
        const QString summary = index.data(OpenApiOutline::SummaryRole).toString();
        const bool selected = opt.state.testFlag(QStyle::State_Selected);

        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        QFont badgeFont = opt.font;
        badgeFont.setBold(true);
        badgeFont.setPointSizeF(opt.font.pointSizeF() * 0.78);
        const QFontMetrics badgeMetrics(badgeFont);
        const int badgeWidth = badgeMetrics.horizontalAdvance(QStringLiteral("DELETE")) + 10;
        const int badgeHeight = badgeMetrics.height() + 2;
        const QRect badge(opt.rect.left() + 4, opt.rect.center().y() - badgeHeight / 2 + 1,
                          badgeWidth, badgeHeight);
        painter->setPen(Qt::NoPen);
        painter->setBrush(methodColor(method));
        painter->drawRoundedRect(badge, 3, 3);
        painter->setFont(badgeFont);
        painter->setPen(Qt::white);
        painter->drawText(badge, Qt::AlignCenter,
                          badgeMetrics.elidedText(method, Qt::ElideRight, badgeWidth - 2));

        const QPalette::ColorGroup group
            = opt.state.testFlag(QStyle::State_Enabled) ? QPalette::Normal : QPalette::Disabled;
        QRect text = opt.rect.adjusted(badge.right() - opt.rect.left() + 8, 0, -4, 0);
        painter->setFont(opt.font);
        painter->setPen(
            opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
        const QString shownPath = opt.fontMetrics.elidedText(path, Qt::ElideMiddle, text.width());
        painter->drawText(text, Qt::AlignVCenter | Qt::AlignLeft, shownPath);
        text.setLeft(text.left() + opt.fontMetrics.horizontalAdvance(shownPath) + 10);
        if (!summary.isEmpty() && text.width() > 20) {
            QColor dim = opt.palette.color(
                group, selected ? QPalette::HighlightedText : QPalette::PlaceholderText);
            painter->setPen(dim);
            painter->drawText(text, Qt::AlignVCenter | Qt::AlignLeft,
                              opt.fontMetrics.elidedText(summary, Qt::ElideRight, text.width()));
        }
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        size.setHeight(qMax(size.height(), option.fontMetrics.height() + 8));
        return size;
    }
};

} // namespace

OpenApiOutline::OpenApiOutline(QWidget *parent)
    : QWidget(parent), m_header(new QLabel), m_hint(new QLabel), m_view(new QTreeView),
      m_model(new QStandardItemModel(this))
{
    setObjectName(QStringLiteral("OpenApiOutline"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_header->setWordWrap(true);
    m_header->setContentsMargins(8, 6, 8, 6);
    m_header->setTextFormat(Qt::RichText);
    m_hint->setWordWrap(true);
    m_hint->setContentsMargins(8, 8, 8, 8);
    m_hint->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    m_hint->setText(tr("Open an OpenAPI file from apis/ to see its operations here."));
    layout->addWidget(m_header);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_hint, 1);

    m_view->setModel(m_model);
    m_view->setHeaderHidden(true);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setItemDelegate(new OperationDelegate(m_view));
    m_view->setFrameShape(QFrame::NoFrame);
    connect(m_view, &QTreeView::clicked, this, &OpenApiOutline::activate);
    connect(m_view, &QTreeView::activated, this, &OpenApiOutline::activate);
    setEditor(nullptr);
}

void OpenApiOutline::setEditor(CodeEditor *editor)
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_editor = editor;
    m_currentMethod.clear();   // whoever follows the outline starts from the new editor's API
    m_currentPath.clear();
    m_parser = OpenApiLiveParser::of(editor);
    if (m_parser) {
        m_connections.append(
            connect(m_parser, &OpenApiLiveParser::updated, this, &OpenApiOutline::rebuild));
        m_connections.append(connect(editor, &QPlainTextEdit::cursorPositionChanged, this,
                                     &OpenApiOutline::followCursor));
    }
    rebuild();
}

QString OpenApiOutline::headerText() const { return m_header->text(); }

void OpenApiOutline::rebuild()
{
    const int scroll = m_view->verticalScrollBar()->value();
    m_model->clear();
    const bool active = m_parser && m_editor;
    m_view->setVisible(active);
    m_header->setVisible(active);
    m_hint->setVisible(!active);
    if (!active)
        return;

    const std::optional<ApiSpec> &api = m_parser->api();
    const Diagnostics &diagnostics = m_parser->diagnostics();
    QStringList lines;
    if (api) {
        QString title = QStringLiteral("<b>%1</b> %2")
                            .arg(api->title.toHtmlEscaped(), api->apiVersion.toHtmlEscaped());
        if (!api->basePath.isEmpty())
            title += QStringLiteral(" · <code>%1</code>").arg(api->basePath.toHtmlEscaped());
        lines.append(title);
    } else if (m_parser->parseCount() > 0) {
        lines.append(tr("Not an OpenAPI document yet: it needs an <code>openapi: 3.x</code> or "
                        "<code>swagger: '2.0'</code> line."));
    } else {
        lines.append(tr("Reading…"));
    }
    QStringList counts;
    if (api) {
        const int n = int(api->operations.size());
        counts.append(tr("%n operation(s)", nullptr, n));
    }
    const QString span = QStringLiteral("<span style=\"color:%1\">%2</span>");
    if (const int n = diagnostics.errorCount(); n > 0)
        counts.append(span.arg(m_editor->theme().error.name(), tr("%n error(s)", nullptr, n)));
    if (const int n = diagnostics.warningCount(); n > 0)
        counts.append(span.arg(m_editor->theme().warning.name(), tr("%n warning(s)", nullptr, n)));
    if (!counts.isEmpty())
        lines.append(counts.join(QStringLiteral(" · ")));
    if (m_parser->isStale())
        lines.append(
            tr("<i>The text does not parse right now; showing the last version that did.</i>"));
    m_header->setText(lines.join(QStringLiteral("<br>")));
    if (!api)
        return;

    const QString file = m_editor->relativeFilePath();
    for (const Operation &op : api->operations) {
        QString text = op.method + u' ' + op.pathTemplate;
        if (!op.summary.isEmpty())
            text += QStringLiteral("  ") + op.summary;
        auto *item = new QStandardItem(text);
        item->setData(op.method, MethodRole);
        item->setData(op.pathTemplate, PathRole);
        item->setData(op.summary, SummaryRole);
        // A path item pulled in by $ref lives in another file: listed, but not a place to jump to.
        const bool here
            = op.location.file == file || QFileInfo(file).fileName() == op.location.file;
        item->setData(here ? op.location.line : 0, LineRole);
        item->setData(here ? op.location.column : 0, ColumnRole);
        QStringList tip{
            QStringLiteral("<b>%1 %2</b>").arg(op.method, op.pathTemplate.toHtmlEscaped())};
        if (!op.summary.isEmpty())
            tip.append(op.summary.toHtmlEscaped());
        if (!op.operationId.isEmpty())
            tip.append(tr("operationId: %1").arg(op.operationId.toHtmlEscaped()));
        tip.append(here ? tr("line %1").arg(op.location.line)
                        : tr("in %1").arg(op.location.toString()));
        item->setToolTip(tip.join(QStringLiteral("<br>")));
        m_model->appendRow(item);
    }
    m_view->verticalScrollBar()->setValue(scroll);
    followCursor();
}

void OpenApiOutline::followCursor()
{
    if (!m_editor || m_model->rowCount() == 0) {
        setCurrent({}, {});
        return;
    }
    const int line = m_editor->textCursor().blockNumber() + 1;
    int best = -1;
    int bestLine = 0;
    int lastLine = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const int opLine = m_model->item(row)->data(LineRole).toInt();
        lastLine = qMax(lastLine, opLine);
        if (opLine > 0 && opLine <= line && opLine >= bestLine) {
            best = row;
            bestLine = opLine;
        }
    }
    // Past the last operation, YAML's next top-level key (components:, tags: ...) ends it.
    if (best >= 0 && bestLine == lastLine && m_editor->language() == Language::Yaml) {
        for (QTextBlock b = m_editor->document()->findBlockByNumber(lastLine); b.isValid();
             b = b.next()) {
            if (b.blockNumber() + 1 > line)
                break;
            const QString text = b.text();
            if (!text.isEmpty() && !text.front().isSpace() && !text.startsWith(u'#')) {
                best = -1;
                break;
            }
        }
    }
    if (best < 0) {
        m_view->selectionModel()->clearSelection();
        setCurrent({}, {});
        return;
    }
    const QModelIndex index = m_model->index(best, 0);
    setCurrent(index.data(MethodRole).toString(), index.data(PathRole).toString());
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_view->scrollTo(index);
}

void OpenApiOutline::setCurrent(const QString &method, const QString &pathTemplate)
{
    if (method == m_currentMethod && pathTemplate == m_currentPath)
        return;
    m_currentMethod = method;
    m_currentPath = pathTemplate;
    emit currentOperationChanged(method, pathTemplate);
}

void OpenApiOutline::activate(const QModelIndex &index)
{
    setCurrent(index.data(MethodRole).toString(), index.data(PathRole).toString());
    const int line = index.data(LineRole).toInt();
    if (m_editor && line > 0)
        m_editor->goToLine(line, qMax(1, index.data(ColumnRole).toInt()));
}

} // namespace Gatehouse
