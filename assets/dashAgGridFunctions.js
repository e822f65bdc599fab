/* Functions referenced by the ranking grid's column definitions. */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

/* Hidden (data protection) and missing values sort last in both directions. */
function sozialraumHiddenLast(valueA, valueB, nodeA, nodeB, isDescending) {
    var aNull = valueA === null || valueA === undefined;
    var bNull = valueB === null || valueB === undefined;
    if (aNull && bNull) { return 0; }
    if (aNull) { return isDescending ? -1 : 1; }
    if (bNull) { return isDescending ? 1 : -1; }
    return valueA - valueB;
}
dagfuncs.sozialraumHiddenLast = sozialraumHiddenLast;
window.sozialraumHiddenLast = sozialraumHiddenLast;

/* Enter on a focused row selects its area, exactly like a click (the router reads cellClicked). */
dagfuncs.sozialraumEnterSelects = function (params, setGridProps) {
    var event = params.event;
    if (!event || event.key !== "Enter" || !params.node || params.node.rowPinned) { return; }
    setGridProps({cellClicked: {value: params.value, colId: params.column ? params.column.getColId() : null,
                                rowIndex: params.rowIndex, rowId: params.node.id, timestamp: Date.now()}});
};

/* German number input in the grid's number filter: "12,5" and "1.234,5" mean 12.5 and 1234.5. */
dagfuncs.sozialraumParseNumber = function (params) {
    var text = params && params.value !== undefined ? params.value : params;
    if (text === null || text === undefined || text === "") { return null; }
    var t = String(text).trim().replace(/\u2212/g, "-");
    if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) { t = t.replace(/\./g, ""); }
    t = t.replace(",", ".");
    var n = parseFloat(t);
    return isNaN(n) ? null : n;
};

/* Tab leaves the grid instead of walking through every cell: the grid is one tab stop, the
 * arrow keys move inside it. Returning false hands the Tab key back to the browser. */
dagfuncs.sozialraumLeaveGrid = function (params) {
    return false;
};
