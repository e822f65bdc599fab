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
