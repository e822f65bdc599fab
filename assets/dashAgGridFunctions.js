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
