// TracesDock: table, filters, waterfall, headers, explain.
#include "tracesdock.h"

#include "replaycompareview.h"
#include "traceexplain.h"
#include "tracemessage.h"
#include "tracereplay.h"
#include "tracewaterfall.h"

#include "engine/gatewayengine.h"

#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace Gatehouse {

TracesDock::TracesDock(QWidget *parent)
    : QWidget(parent), m_model(new TraceTableModel(this)), m_filter(new TraceFilterModel(this)),
      m_search(new QLineEdit), m_status(new QComboBox), m_api(new QComboBox), m_pause(new QToolButton),
      m_count(new QLabel), m_table(new QTableView), m_details(new QTabWidget), m_waterfall(new TraceWaterfall),
      m_headers(new QPlainTextEdit), m_explain(new QLabel), m_replayButton(new QToolButton),
      m_captureState(new QLabel), m_compare(new ReplayCompareView), m_replayer(new TraceReplayer(this))
{
    m_filter->setSourceModel(m_model);
    m_search->setPlaceholderText(tr("Search path, caller, status, trace id…"));
    m_search->setClearButtonEnabled(true);
    m_status->addItem(tr("All statuses"), int(TraceFilterModel::StatusFilter::All));
    m_status->addItem(tr("Errors (4xx, 5xx, none)"), int(TraceFilterModel::StatusFilter::Errors));
    m_status->addItem(tr("Refused (401, 403, 429)"), int(TraceFilterModel::StatusFilter::Refused));
    m_status->addItem(tr("Client errors (4xx)"), int(TraceFilterModel::StatusFilter::ClientErrors));
    m_status->addItem(tr("Server errors (5xx)"), int(TraceFilterModel::StatusFilter::ServerErrors));
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Stop adding requests to the table"));
    auto *clear = new QToolButton;
    clear->setText(tr("Clear"));
    rebuildApiBox();

    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TraceTableModel::Time, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    const QFontMetrics metrics = fontMetrics();
    const auto fit = [&](int column, const QString &sample) {
        header->resizeSection(column, metrics.horizontalAdvance(sample) + 3 * metrics.averageCharWidth());
    };
    fit(TraceTableModel::Time, QStringLiteral("00:00:00.000"));
    fit(TraceTableModel::Method, QStringLiteral("DELETE"));
    fit(TraceTableModel::Path, QStringLiteral("/petstore/v1/pets/findByStatus?status=x"));
    fit(TraceTableModel::Status, QStringLiteral("Status"));
    fit(TraceTableModel::LatencyMs, tr("Latency (ms)"));
    fit(TraceTableModel::Api, QStringLiteral("Petstore v1"));
    header->setStretchLastSection(true);   // the caller
    m_table->setWordWrap(false);

    auto *scroll = new QScrollArea;
    scroll->setWidget(m_waterfall);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_headers->setReadOnly(true);
    m_headers->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_headers->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_explain->setWordWrap(true);
    m_explain->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_explain->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_explain->setMargin(6);
    m_details->addTab(scroll, tr("Timeline"));
    m_details->addTab(m_headers, tr("Request and Response"));
    m_details->addTab(m_explain, tr("Explain"));
    auto *compareScroll = new QScrollArea;   // the comparison's panes scroll in a low dock
    compareScroll->setWidget(m_compare);
    compareScroll->setWidgetResizable(true);
    compareScroll->setFrameShape(QFrame::NoFrame);
    m_compareTab = compareScroll;
    m_details->addTab(compareScroll, tr("Replay"));
    m_replayButton->setText(tr("Replay"));
    m_replayButton->setToolTip(tr("Send the selected request again through the gateway, with its "
                                  "current configuration, and compare the answers"));
    m_replayButton->setEnabled(false);
    m_captureState->setToolTip(tr("The embedded gateway keeps each traced request's target, "
                                  "credentials and first body bytes in memory, for Replay. gatehoused "
                                  "never captures."));
    m_captureState->hide();

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 2);
    bar->addWidget(m_status);
    bar->addWidget(m_api);
    bar->addWidget(m_pause);
    bar->addWidget(clear);
    bar->addWidget(m_replayButton);
    bar->addWidget(m_count, 1);
    bar->addWidget(m_captureState);
    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({600, 400});   // the table's share: three fifths
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    auto updateCount = [this] {
        m_count->setText(tr("%1 of %n request(s) (the last %2 are kept)", nullptr, m_model->rowCount())
                             .arg(m_filter->rowCount())
                             .arg(m_model->capacity()));
    };
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, updateCount);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, updateCount);
    connect(m_filter, &QAbstractItemModel::modelReset, this, updateCount);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, updateCount);
    updateCount();
    connect(m_search, &QLineEdit::textChanged, m_filter, &TraceFilterModel::setSearch);
    connect(m_status, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setStatusFilter(TraceFilterModel::StatusFilter(m_status->currentData().toInt()));
    });
    connect(m_api, &QComboBox::currentIndexChanged, this, [this] { m_filter->setApi(m_api->currentData().toString()); });
    connect(m_model, &TraceTableModel::apisChanged, this, &TracesDock::rebuildApiBox);
    connect(m_pause, &QToolButton::toggled, this, &TracesDock::setPaused);
    connect(clear, &QToolButton::clicked, this, [this] {
        m_model->clear();
        showCurrent();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TracesDock::showCurrent);
    connect(m_replayButton, &QToolButton::clicked, this, &TracesDock::replayCurrent);
    connect(m_replayer, &TraceReplayer::finished, this, [this](const ReplayOutcome &outcome) {
        m_compare->showOutcome(m_replayed, outcome);
        m_replayed = TraceRecord();   // its credentials live no longer than needed
        showCurrent();
    });
    // "expired 3 min ago", "retry in 12 s": said relative to now, so they move on while shown.
    auto *clock = new QTimer(this);
    clock->setInterval(1000);
    connect(clock, &QTimer::timeout, this, [this] {
        const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
        if (!current.isValid() || m_details->currentWidget() != m_explain || !isVisible())
            return;
        const TraceRecord &r = m_model->record(current.row());
        for (const TraceDecisionRecord &d : r.decisions) {
            if (d.atUnixMs != 0) {
                showExplanation(r);
                return;
            }
        }
    });
    clock->start();
    showCurrent();
}

void TracesDock::setEngine(GatewayEngine *engine)
{
    if (m_engine)
        disconnect(m_engine, nullptr, this, nullptr);
    m_engine = engine;
    m_replayer->setEngine(engine);
    if (engine) {
        connect(engine, &GatewayEngine::traceBatch, this, [this](const QList<TraceRecord> &records) {
            if (!m_paused)
                m_model->append(records);
        });
        connect(engine, &GatewayEngine::stateChanged, this, &TracesDock::updateCaptureState);
        connect(engine, &GatewayEngine::configApplied, this, &TracesDock::updateCaptureState);
    }
    updateCaptureState();
}

void TracesDock::updateCaptureState()
{
    const qint64 bytes = m_engine && m_engine->state() == GatewayEngine::State::Running
                             ? m_engine->captureBodyBytes() : 0;
    m_captureState->setVisible(bytes > 0);
    if (bytes > 0) {
        m_captureState->setText(tr("● Capturing requests for Replay (bodies up to %1)")
                                    .arg(QLocale().formattedDataSize(bytes, 0, QLocale::DataSizeTraditionalFormat)));
    }
}

void TracesDock::replayCurrent()
{
    const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
    m_details->setCurrentWidget(m_compareTab);
    if (!current.isValid()) {
        m_compare->showMessage(tr("Select a request to replay."));
        return;
    }
    const TraceRecord &r = m_model->record(current.row());
    QString why;
    if (!m_replayer->replay(r, &why)) {
        m_compare->showMessage(tr("Replay refused: %1").arg(why));
        return;
    }
    m_replayed = r;
    m_compare->showRunning(r);
    m_replayButton->setEnabled(false);
}

void TracesDock::setPaused(bool paused)
{
    m_paused = paused;
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
}

void TracesDock::rebuildApiBox()
{
    const QString current = m_api->currentData().toString();
    const QSignalBlocker block(m_api);
    m_api->clear();
    m_api->addItem(tr("All APIs"), QString());
    for (const QString &api : m_model->apis())
        m_api->addItem(api, api);
    m_api->setCurrentIndex(qMax(0, m_api->findData(current)));
}

void TracesDock::selectRow(int row)
{
    m_table->selectRow(row);
    m_table->setCurrentIndex(m_filter->index(row, 0));
    showCurrent();
}

void TracesDock::showCurrent()
{
    const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
    m_replayButton->setEnabled(current.isValid() && !m_replayer->isBusy());
    if (!current.isValid()) {
        m_waterfall->clear();
        m_headers->clear();
        m_explain->setText(tr("Select a request: why it was admitted, refused or failed appears here."));
        return;
    }
    const TraceRecord &r = m_model->record(current.row());
    m_waterfall->setRecord(r);
    QString text = TraceMessage::text(r);
    text += tr("\ntrace %1 · from %2 · worker %3%4")
                .arg(QString::fromLatin1(r.traceId.toHex()), QString::fromUtf8(r.peer))
                .arg(r.worker)
                .arg(r.upstream.isEmpty() ? QString() : tr(" · upstream %1").arg(QString::fromUtf8(r.upstream)));
    m_headers->setPlainText(text);
    showExplanation(r);
}

void TracesDock::showExplanation(const TraceRecord &r)
{
    const QStringList lines = TraceExplainer::explain(r);
    QString html = QStringLiteral("<p><b>%1</b></p>").arg(lines.value(0).toHtmlEscaped());
    for (qsizetype i = 1; i < lines.size(); ++i)
        html += QStringLiteral("<p>%1</p>").arg(lines.at(i).toHtmlEscaped());
    if (m_explain->text() != html)   // the clock re-renders every second
        m_explain->setText(html);
}

} // namespace Gatehouse
