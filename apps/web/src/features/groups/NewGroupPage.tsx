import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useNavigate, useSearchParams } from 'react-router';
import {
  GroupCreateDocument,
  GroupsParentChoicesDocument,
  type GroupVisibility,
  type JoinPolicy,
} from '../../gql/graphql';
import {
  Button,
  fieldProblem,
  Page,
  Problems,
  problemsOf,
  Select,
  TextArea,
  TextField,
} from '../../ui';
import { Choices } from './Choices';
import {
  JOIN_POLICIES,
  joinPolicyHelp,
  joinPolicyName,
  VISIBILITIES,
  visibilityHelp,
  visibilityName,
} from './words';

/** /groups/new: a group, or a sub-group of one where the viewer may create them. */
export function NewGroupPage() {
  const intl = useIntl();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [visibility, setVisibility] = useState<GroupVisibility>('PUBLIC');
  const [joinPolicy, setJoinPolicy] = useState<JoinPolicy>('OPEN');
  const [parentId, setParentId] = useState(params.get('parent') ?? '');
  const parents = useQuery(GroupsParentChoicesDocument);
  const [create, { loading, error }] = useMutation(GroupCreateDocument);
  const problems = problemsOf(error);
  const choices = (parents.data?.groups.nodes ?? []).filter((g) =>
    g.viewerPermissions.includes('CREATE_SUBGROUP'),
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { data } = await create({
      variables: {
        input: {
          name: name.trim(),
          description: description.trim() || null,
          visibility,
          joinPolicy,
          parentId: parentId || null,
        },
      },
    }).catch(() => ({ data: undefined }));
    if (data) void navigate(`/groups/${data.createGroup.slug}`);
  };

  return (
    <Page
      title={intl.formatMessage({
        id: 'groups.new.title',
        defaultMessage: 'Create a group',
        description: 'New group page title',
      })}
    >
      <form
        onSubmit={(e) => void submit(e)}
        noValidate
        className="rounded-lg border border-stone-200 bg-white p-4"
      >
        <Problems
          problems={problems}
          fields={['name', 'description', 'visibility', 'joinPolicy', 'parentId', 'slug']}
        />
        <TextField
          label={
            <FormattedMessage
              id="groups.field.name"
              defaultMessage="Name"
              description="Group name field"
            />
          }
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={(fieldProblem(problems, 'name') ?? fieldProblem(problems, 'slug'))?.message}
        />
        <TextArea
          label={
            <FormattedMessage
              id="groups.field.description"
              defaultMessage="Description"
              description="Group description field"
            />
          }
          hint={
            <FormattedMessage
              id="groups.field.description.hint"
              defaultMessage="What the group is for, in a sentence or two."
              description="Group description hint"
            />
          }
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={fieldProblem(problems, 'description')?.message}
        />
        <VisibilityChoices
          value={visibility}
          onChange={setVisibility}
          error={fieldProblem(problems, 'visibility')?.message}
        />
        <JoinPolicyChoices
          value={joinPolicy}
          onChange={setJoinPolicy}
          error={fieldProblem(problems, 'joinPolicy')?.message}
        />
        {choices.length > 0 && (
          <Select
            label={
              <FormattedMessage
                id="groups.field.parent"
                defaultMessage="Inside another group (optional)"
                description="Parent group field, for a sub-group"
              />
            }
            hint={
              <FormattedMessage
                id="groups.field.parent.hint"
                defaultMessage="A sub-group never shows more than its parent: only those who may read the parent can find it."
                description="Parent group hint"
              />
            }
            value={parentId}
            onChange={(e) => setParentId(e.target.value)}
            error={fieldProblem(problems, 'parentId')?.message}
          >
            <option value="">
              {intl.formatMessage({
                id: 'groups.field.parent.none',
                defaultMessage: 'None: a top-level group',
                description: 'No parent group',
              })}
            </option>
            {choices.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </Select>
        )}
        <div className="flex justify-end">
          <Button type="submit" busy={loading}>
            <FormattedMessage
              id="groups.new.submit"
              defaultMessage="Create the group"
              description="New group form button"
            />
          </Button>
        </div>
      </form>
    </Page>
  );
}

export function VisibilityChoices({
  value,
  onChange,
  error,
}: {
  value: GroupVisibility;
  onChange: (v: GroupVisibility) => void;
  error?: string;
}) {
  const intl = useIntl();
  return (
    <Choices
      legend={
        <FormattedMessage
          id="groups.field.visibility"
          defaultMessage="Who can find it"
          description="Group visibility field"
        />
      }
      name="visibility"
      value={value}
      onChange={onChange}
      error={error}
      options={VISIBILITIES.map((v) => ({
        value: v,
        label: intl.formatMessage(visibilityName[v]),
        help: intl.formatMessage(visibilityHelp[v]),
      }))}
    />
  );
}

export function JoinPolicyChoices({
  value,
  onChange,
  error,
}: {
  value: JoinPolicy;
  onChange: (v: JoinPolicy) => void;
  error?: string;
}) {
  const intl = useIntl();
  return (
    <Choices
      legend={
        <FormattedMessage
          id="groups.field.joinPolicy"
          defaultMessage="How people join"
          description="Group join policy field"
        />
      }
      name="joinPolicy"
      value={value}
      onChange={onChange}
      error={error}
      options={JOIN_POLICIES.map((v) => ({
        value: v,
        label: intl.formatMessage(joinPolicyName[v]),
        help: intl.formatMessage(joinPolicyHelp[v]),
      }))}
    />
  );
}
