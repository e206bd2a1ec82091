/**
 * A shell command that runs `sudo bash -s` on a node over OpenSSH, reading the script from
 * stdin, optionally through a bastion. @pulumi/command's remote connections cannot jump, so
 * bastion-fronted nodes are reached with the local ssh client and a ProxyCommand.
 * The private key arrives in $LCT_SSH_KEY (a secret environment value), lives in a mode-600
 * temporary file for the duration of the command, and is removed on exit.
 */
export function sshSudoCommand(): string {
    return [
        "set -eu",
        'dir=$(mktemp -d); trap \'rm -rf "$dir"\' EXIT',
        'printf \'%s\\n\' "$LCT_SSH_KEY" > "$dir/key"; chmod 600 "$dir/key"',
        'opts="-i $dir/key -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=$dir/known_hosts -o ConnectTimeout=20"',
        'if [ -n "${LCT_SSH_BASTION:-}" ]; then',
        '  exec ssh $opts -o ProxyCommand="ssh $opts -W %h:%p $LCT_SSH_USER@$LCT_SSH_BASTION" "$LCT_SSH_USER@$LCT_SSH_HOST" "sudo bash -s"',
        "fi",
        'exec ssh $opts "$LCT_SSH_USER@$LCT_SSH_HOST" "sudo bash -s"',
    ].join("\n");
}
