/** A minimal text tree: nodes with labels and children, drawn with box characters. */
export interface TreeNode {
    label: string;
    children?: TreeNode[];
}

export function renderTree(root: TreeNode): string {
    const lines = [root.label];
    const walk = (children: readonly TreeNode[], prefix: string) => {
        children.forEach((c, i) => {
            const last = i === children.length - 1;
            lines.push(`${prefix}${last ? "└─ " : "├─ "}${c.label}`);
            if (c.children?.length) walk(c.children, prefix + (last ? "   " : "│  "));
        });
    };
    walk(root.children ?? [], "");
    return lines.join("\n");
}
